#!/usr/bin/env python3
"""Check every community/resource link (includes/community.yml) with LinkChecker.

    .venv/bin/python scripts/check_links.py
    .venv/bin/python scripts/check_links.py --timeout 20 --markdown-report report.md
    .venv/bin/python scripts/check_links.py --data some/other.yml

The data file is validated with the same code the build uses (hooks/community.py). Every URL is then
fetched once by LinkChecker (from the virtual environment, or PATH) and each problem is reported with the
entry's name, URL and reason:

  - an HTTP error status (4xx, 5xx);
  - a redirect (3xx), unless the entry accepts it (`accept_redirect: true`, or a URL prefix the redirect
    must lead to);
  - a DNS failure, a refused connection, a timeout, or any other error LinkChecker reports.

Entries marked `bot_hostile: true` (hosts that answer 403/429 to robots) only produce warnings.

Exit status: 0 = no broken link (warnings allowed), 1 = at least one broken link, 2 = the data file is
invalid or LinkChecker could not run.

LinkChecker drops its privileges to `nobody` when started as root, so the page listing the links and the
configuration file are written world-readable, and the results are read from its standard output.
"""
from __future__ import annotations

import argparse
import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("aidraw_community", ROOT / "hooks" / "community.py")
community = importlib.util.module_from_spec(_spec)
sys.modules["aidraw_community"] = community
_spec.loader.exec_module(community)

ERROR, WARNING = "error", "warning"
REDIRECT_RE = re.compile(r"Redirected to `(?P<to>[^']*)' status: (?P<status>\d{3})")


@dataclass
class Finding:
    entry: "community.Entry"
    level: str          # ERROR or WARNING
    reason: str


def linkchecker_exe() -> str:
    exe = shutil.which("linkchecker", path=str(Path(sys.executable).parent)) or shutil.which("linkchecker")
    if not exe:
        raise SystemExit("找不到 linkchecker：请先运行 python3 scripts/dev.py test 安装测试依赖，"
                         "或 pip install -r requirements-test.txt")
    return exe


def classify_error(result: str, timeout: float) -> str:
    """A readable reason for LinkChecker's result string of an invalid URL."""
    status = re.match(r"^(\d{3})\b\s*(.*)$", result)
    if status:
        return f"HTTP {status.group(1)} {status.group(2)}".strip()
    low = result.lower()
    if "nameresolutionerror" in low or "failed to resolve" in low or "name or service not known" in low \
            or "nodename nor servname" in low or "getaddrinfo failed" in low or "temporary failure in name resolution" in low:
        return "域名解析失败（DNS）"
    if "connection refused" in low or "errno 111" in low:
        return "连接被拒绝"
    if "timed out" in low or "timeout" in low:
        return f"超时（{timeout:g} 秒内没有响应）"
    if "ssl" in low or "certificate" in low:
        return f"TLS/证书错误：{result[:160]}"
    return f"无法访问：{result[:200]}"


def run_linkchecker(entries, timeout: float, threads: int) -> tuple[ET.Element, str]:
    work = Path(tempfile.mkdtemp(prefix="aidraw-links-"))
    try:
        os.chmod(work, 0o755)
        page = work / "links.html"
        items = "\n".join(f'<li><a href="{html.escape(e.url, quote=True)}">E{e.index}</a></li>' for e in entries)
        page.write_text(f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>links</title></head>"
                        f"<body><ul>\n{items}\n</ul></body></html>\n", encoding="utf-8")
        rc_file = work / "linkcheckerrc"
        rc_file.write_text(
            "[checking]\n"
            f"threads={threads}\n"
            f"timeout={max(1, round(timeout))}\n"
            "recursionlevel=1\n"
            "maxrunseconds=1800\n"
            "[filtering]\n"
            "checkextern=1\n"
            "[output]\n"
            "status=0\n"
            "warnings=1\n", encoding="utf-8")
        for f in (page, rc_file):
            os.chmod(f, 0o644)
        cmd = [linkchecker_exe(), "-f", str(rc_file), "--no-status", "--check-extern", "-r", "1", "-v",
               "-o", "xml/utf-8", page.resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, timeout=1800 + 60)
        out = proc.stdout.decode("utf-8", "replace")
        if proc.returncode not in (0, 1) or "<linkchecker" not in out:
            raise SystemExit(f"linkchecker 运行失败（退出码 {proc.returncode}）：\n"
                             f"{proc.stderr.decode('utf-8', 'replace')[-3000:]}")
        start = out.index("<?xml") if "<?xml" in out else 0
        return ET.fromstring(out[start:].encode("utf-8")), proc.stderr.decode("utf-8", "replace")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def evaluate(entries, root: ET.Element, timeout: float) -> list[Finding]:
    by_tag = {f"E{e.index}": e for e in entries}
    seen: set[int] = set()
    findings: list[Finding] = []
    for node in root.iter("urldata"):
        entry = by_tag.get((node.findtext("name") or "").strip())
        if entry is None or entry.index in seen:
            continue
        seen.add(entry.index)
        valid = node.find("valid")
        ok = valid is not None and (valid.text or "").strip() == "1"
        result = valid.get("result", "") if valid is not None else ""
        warnings = [(w.get("tag") or "", w.text or "") for w in node.iter("warning")]
        infos = [i.text or "" for i in node.iter("info")]
        redirects = [m for _, text in warnings for m in [REDIRECT_RE.search(text)] if m]
        final = (node.findtext("realurl") or "").strip()
        level = WARNING if entry.bot_hostile else ERROR

        reasons = []
        accepted = bool(redirects) and entry.redirect_ok(final or redirects[-1].group("to"))
        if redirects and not accepted:
            chain = "，".join(f"{m.group('status')} 跳转到 {m.group('to')}" for m in redirects)
            reasons.append(f"重定向（{chain}）")
        if not ok:
            error = classify_error(result, timeout)
            reasons.append(f"跳转到 {final} 后：{error}" if accepted else error)
        if reasons:
            findings.append(Finding(entry, level, "；".join(reasons)))
        elif any("robots.txt" in i for i in infos):
            findings.append(Finding(entry, WARNING, "robots.txt 不允许自动检查，只检查了网址格式"))
    for e in entries:
        if e.index not in seen:
            findings.append(Finding(e, ERROR, "LinkChecker 没有检查这个网址（网址格式可能有误）"))
    findings.sort(key=lambda f: (f.level != ERROR, f.entry.index))
    return findings


def markdown_report(findings: list[Finding], total: int, source: str) -> str:
    errors = [f for f in findings if f.level == ERROR]
    warns = [f for f in findings if f.level == WARNING]
    lines = [f"共检查 {total} 个链接（数据：`{source}`）：{len(errors)} 个失效，{len(warns)} 个警告。", ""]

    def table(rows):
        out = ["| 名称 | 地址 | 问题 | 数据位置 |", "| --- | --- | --- | --- |"]
        for f in rows:
            out.append(f"| {community._cell(f.entry.name)} | <{f.entry.url}> | {community._cell(f.reason)} | "
                       f"`{source}:{f.entry.line}` |")
        return out

    if errors:
        lines += ["## 失效链接", ""] + table(errors) + [""]
    if warns:
        lines += ["## 警告", "", "这些网站常常拒绝程序访问（或跳转到不同的地址），请在浏览器里手动确认。", ""] + table(warns) + [""]
    if not findings:
        lines += ["所有链接都能正常打开。", ""]
    lines += ["修复方法：在数据文件里更新或删除对应条目；如果跳转后的地址与原地址等价，可以给条目加上 "
              "`accept_redirect`。写法见 docs/reference/community.md。", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT / community.DATA_FILE,
                    help=f"数据文件（默认 {community.DATA_FILE}）")
    ap.add_argument("--timeout", type=float, default=30, help="每个网址的超时秒数（默认 30）")
    ap.add_argument("--threads", type=int, default=4, help="并发数（默认 4）")
    ap.add_argument("--markdown-report", type=Path, metavar="PATH", help="把 Markdown 格式的汇总写到这个文件")
    args = ap.parse_args(argv)

    try:
        source = str(args.data.resolve().relative_to(ROOT))
    except ValueError:
        source = str(args.data)
    try:
        entries = community.load(args.data, source)
    except community.CommunityDataError as e:
        print(f"数据文件有误：\n{e}", file=sys.stderr)
        return 2

    root, _ = run_linkchecker(entries, args.timeout, args.threads)
    findings = evaluate(entries, root, args.timeout)
    errors = sum(f.level == ERROR for f in findings)
    for f in findings:
        label = "失效" if f.level == ERROR else "警告"
        print(f"[{label}] {f.entry.name} <{f.entry.url}>：{f.reason}（{source}:{f.entry.line}）")
    print(f"共检查 {len(entries)} 个链接：{errors} 个失效，{len(findings) - errors} 个警告。")
    if args.markdown_report:
        args.markdown_report.write_text(markdown_report(findings, len(entries), source), encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
