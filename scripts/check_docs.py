#!/usr/bin/env python3
"""Check pages and images against the 格式手册 rules (the same checks every build runs).

    python3 scripts/check_docs.py                 # everything under docs/
    python3 scripts/check_docs.py docs/install/a1111.md docs/assets/images/install
    python3 scripts/check_docs.py --fix docs/guide/prompts.md   # also fix SPACE-1 and PUNC-1 in place

Exit status 1 when anything is left to fix.
"""
import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("aidraw_checks", ROOT / "hooks" / "checks.py")
checks = importlib.util.module_from_spec(_spec)
sys.modules["aidraw_checks"] = checks
_spec.loader.exec_module(checks)


def fix_file(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    changed = 0
    for no, line, code in checks.content_lines(text):
        if code or checks.IGNORE_RE.search(line) or checks.TABLE_SEP_RE.match(line.strip() or "x"):
            continue
        new = checks.fix_line(line)
        if new != line:
            lines[no - 1] = new
            changed += 1
    if changed:
        path.write_text("\n".join(lines), encoding="utf-8")
    return changed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path, help="files or folders under docs/ (default: docs/)")
    ap.add_argument("--fix", action="store_true", help="fix spacing (SPACE-1) and punctuation (PUNC-1) in place")
    ap.add_argument("--docs-dir", type=Path, default=ROOT / "docs")
    args = ap.parse_args()

    docs = args.docs_dir.resolve()
    targets = args.paths or [docs]
    rels = []
    for t in targets:
        t = t.resolve()
        files = [t] if t.is_file() else sorted(p for p in t.rglob("*") if p.is_file())
        for f in files:
            try:
                rels.append(str(f.relative_to(docs)))
            except ValueError:
                print(f"{f}: 不在 {docs} 之下，跳过", file=sys.stderr)
    if args.fix:
        for rel in rels:
            if rel.endswith(".md"):
                n = fix_file(docs / rel)
                if n:
                    print(f"{docs.name}/{rel}: 修正了 {n} 行")
    findings = checks.check_tree(docs, rels)
    for f in findings:
        print(f)
    errors = sum(f.is_error for f in findings)
    print(f"{len(rels)} 个文件，{errors} 个错误，{len(findings) - errors} 个警告", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
