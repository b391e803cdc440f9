#!/usr/bin/env bash
# Vercel's build step (vercel.json "buildCommand"). Vercel clones shallowly; fetch the full history when we
# can so that each page's "最后更新" date is its own, not the date of the latest commit. Without network or
# without .git the build still succeeds, with approximate dates.
set -euo pipefail
if [ "$(git rev-parse --is-shallow-repository 2>/dev/null || echo none)" = "true" ]; then
  git fetch --unshallow --quiet || echo "vercel-build: could not fetch full history; dates may be approximate"
fi
NO_MKDOCS_2_WARNING=1 python3 -m mkdocs build --strict
# 繁體中文版 into site/zh-hant/ (after the Simplified build, which empties site/).
NO_MKDOCS_2_WARNING=1 python3 -m mkdocs build --strict -f mkdocs.zh-hant.yml
