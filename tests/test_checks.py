"""The 格式手册 checks (hooks/checks.py, scripts/check_docs.py): they catch what they should, name the file
and line, fix what they can, and pass the real pages."""
import importlib.util
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from conftest import ROOT

FIXTURE = ROOT / "tests/fixtures/bad-docs"
spec = importlib.util.spec_from_file_location("aidraw_checks_t", ROOT / "hooks/checks.py")
checks = importlib.util.module_from_spec(spec)
sys.modules["aidraw_checks_t"] = checks
spec.loader.exec_module(checks)


def run_checker(*args):
    return subprocess.run([sys.executable, str(ROOT / "scripts/check_docs.py"), *map(str, args)],
                          capture_output=True, text=True)


def test_real_docs_pass():
    r = run_checker()
    assert r.returncode == 0, r.stdout


def test_broken_fixture_is_reported_with_file_line_and_rule():
    r = run_checker("--docs-dir", FIXTURE)
    assert r.returncode == 1
    out = r.stdout
    for expected in (
        "bad-docs/guide/bad-page.md:7: [SPACE-1]",
        "bad-docs/guide/bad-page.md:9: [IMG-1] 外链图片 https://example.com/picture.png",
        "bad-docs/guide/bad-page.md:14: [TABLE-1] 这一行有 3 个单元格，表头有 2 个",
        "bad-docs/guide/bad-page.md:16: [TERM-1]",
        "bad-docs/guide/bad-page.md:18: [PUNC-1]",
        "bad-docs/guide/Bad_Name.md: [FILE-1]",
    ):
        assert expected in out, f"missing {expected!r} in:\n{out}"
    # code blocks are not checked
    assert ":21:" not in out


def test_fix_repairs_spacing_and_punctuation_only(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE, docs)
    run_checker("--docs-dir", docs, "--fix", docs / "guide/bad-page.md")
    text = (docs / "guide/bad-page.md").read_text(encoding="utf-8")
    assert "使用 LoRA 训练需要 8GB 显存。" in text
    assert "注意：这句用了半角冒号。" in text
    assert "# 代码块里的中文English不检查" in text


@pytest.mark.parametrize("before, after", [
    ("使用LoRA训练", "使用 LoRA 训练"),
    ("打开`webui-user.bat`文件", "打开 `webui-user.bat` 文件"),
    ("详见[A1111](../install/a1111.md)页面", "详见 [A1111](../install/a1111.md) 页面"),
    ("详见[显存优化](../config/gpu-vram.md)。", "详见[显存优化](../config/gpu-vram.md)。"),
    ("使用**LoRA**训练", "使用 **LoRA** 训练"),
    ("**显存**VRAM", "**显存** VRAM"),
    ("访问https://example.com获取", "访问 https://example.com 获取"),
    ("RTX 50系显卡", "RTX 50 系显卡"),
    ("按++ctrl+enter++生成", "按 ++ctrl+enter++ 生成"),
    ("注意:先备份", "注意：先备份"),
    ("大模型(也叫底模)很大", "大模型（也叫底模）很大"),
    ("`(word:1.2)` 与 (word:1.2)", "`(word:1.2)` 与 (word:1.2)"),
    ("资料[^1]里", "资料[^1]里"),
    ("写成<code>1.3::词::</code>即可", "写成 <code>1.3::词::</code> 即可"),
    ("![示意图](a.svg)", "![示意图](a.svg)"),
])
def test_fix_line(before, after):
    assert checks.fix_line(before) == after


@pytest.mark.parametrize("name, ok", [
    ("guide/prompts.md", True), ("assets/images/guide/workflow-overview.svg", True),
    ("assets/javascripts/glightbox.min.js", True), ("guide/Prompts.md", False),
    ("guide/lora_training.md", False), ("指南/提示词.md", False), ("guide/my page.md", False),
])
def test_file_names(name, ok):
    assert (not checks.check_name(name)) == ok


def test_missing_sources_heading_and_extra_h1_are_reported():
    text = "---\ndescription: x\n---\n\n# 一\n\n# 二\n\n## 小节\n\n正文。\n"
    rules = {f.rule for f in checks.check_markdown("x.md", text)}
    assert {"HEAD-1", "SRC-1"} <= rules
    assert not checks.check_markdown("index.md", "# 首页\n\n正文。\n", index=True)


def test_oversized_image_and_svg_with_external_reference(tmp_path):
    big = tmp_path / "big.png"
    Image.frombytes("RGB", (400, 400), bytes(range(256)) * 1875).save(big, compress_level=0)
    assert big.stat().st_size > checks.RASTER_LIMIT
    assert [f.rule for f in checks.check_asset("big.png", big)] == ["IMG-2"]
    svg = tmp_path / "x.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg">\n<image href="https://example.com/a.png"/>\n</svg>\n')
    found = checks.check_asset("x.svg", svg)
    assert [(f.rule, f.line) for f in found] == [("IMG-4", 2)]
