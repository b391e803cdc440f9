"""Keep "最后更新" dates from ever breaking the build.

git-revision-date-localized warns on GitHub Actions or GitLab when the clone is shallow (its dates are then
those of the oldest fetched commit), and `mkdocs build --strict` fails on that warning. Our own workflow
fetches full history, but forks, Vercel and other CI set-ups may not: there the dates are approximate and
the build must still pass. This hook turns that one warning into an info line. The plugin's own
`strict: false` (mkdocs.yml) covers a tree with no .git at all, falling back to the build date.
"""
import logging

_PLUGIN_LOGGER = "mkdocs.plugins.mkdocs_git_revision_date_localized_plugin.ci"


class _ShallowCloneIsFine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and "shallow" in record.getMessage():
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg = "浅克隆：页面的“最后更新”日期可能不准确（完整克隆可得到准确日期）"
            record.args = ()
        return True


def on_startup(command, dirty):
    logger = logging.getLogger(_PLUGIN_LOGGER)
    if not any(isinstance(f, _ShallowCloneIsFine) for f in logger.filters):
        logger.addFilter(_ShallowCloneIsFine())
