"""The 工作台 tools on /paint/ (docs/javascripts/workbench.js), driven in a real Chromium.

Covers the prompt weight converter (a table of cases both ways, errors with their position), the image
metadata reader (files made here with Pillow for every supported format, plus broken and huge files),
the resolution calculator, and loading the tools through Material's instant navigation. Every test also
checks that nothing was logged as an error and that no request left the test server."""
import io
import json
import struct
import time
import zlib

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from conftest import ROOT

TOOLS = ("prompt", "pnginfo", "resolution")


def open_paint(page, server):
    page.goto(server + "paint/")
    for tool in TOOLS:
        page.wait_for_selector(f'[data-wb-tool="{tool}"][data-wb-ready]', state="attached", timeout=5000)


def assert_clean(page):
    assert page.watch.errors == [], page.watch.errors
    assert page.watch.foreign == [], page.watch.foreign


# ------------------------------------------------------------------ 1. prompt weight converter

def convert(page, direction, text, digits="4", numeric=False):
    page.check(f'input[name="wb-prompt-direction"][value="{direction}"]')
    page.select_option("#wb-prompt-digits", digits)
    page.set_checked("#wb-prompt-numeric", numeric)
    page.fill("#wb-prompt-input", text)
    page.click('[data-wb-tool="prompt"] button[type="submit"]')
    error = page.locator("#wb-prompt-error")
    return {
        "output": page.input_value("#wb-prompt-result"),
        "notes": page.locator("#wb-prompt-notes li").all_text_contents(),
        "error": error.inner_text() if error.is_visible() else "",
        "status": page.text_content("#wb-prompt-status"),
    }


# (direction, input, expected output, substrings that must appear in the notes; None = no notes at all)
CONVERSIONS = [
    # NovelAI → WebUI: 1.05 per level, nested levels multiply, weight 1 loses its brackets
    ("nai2webui", "{{word}}", "(word:1.1025)", None),
    ("nai2webui", "masterpiece, {1girl}, solo", "masterpiece, (1girl:1.05), solo", None),
    ("nai2webui", "{word}, [[bad]], {{{a}}}", "(word:1.05), (bad:0.907), (a:1.1576)", None),
    ("nai2webui", "{{a}, b}", "(a:1.1025), (b:1.05)", None),
    ("nai2webui", "{[a]}, b", "a, b", None),
    ("nai2webui", r"\{not a weight\}, {b}", r"\{not a weight\}, (b:1.05)", None),
    ("nai2webui", "saber (fate), {smile}", r"saber \(fate\), (smile:1.05)", ["圆括号", r"\("]),
    ("nai2webui", "<lora:detail_v2:0.8>, {girl}", "<lora:detail_v2:0.8>, (girl:1.05)", None),
    ("nai2webui", "{{<lora:x:0.5> girl}}", "<lora:x:0.5> (girl:1.1025)", None),
    # WebUI → NovelAI: (x) ×1.1, [x] ÷1.1, (x:w), nested brackets multiply; nearest brace count
    # NovelAI V4+ numeric weights
    ("nai2webui", "1.5::smile::, {a}", "(smile:1.5), (a:1.05)", None),
    ("nai2webui", "2::red eyes, blue hair::, x", "(red eyes, blue hair:2), x", None),
    ("nai2webui", "{1.2::a::}, b", "(a:1.26), b", None),
    ("nai2webui", "-1::hat::, b", "(hat:-1), b", ["负权重", "负面提示词"]),
    ("nai2webui", "c, 0.5::a", "c, (a:0.5)", ["延续到提示词末尾"]),
    ("nai2webui", "2girls, score_9, 1.5 girl", "2girls, score_9, 1.5 girl", None),
    ("webui2nai", "(word)", "{{word}}", ["1.1", "近似为 2 层花括号", "1.1025"]),
    ("webui2nai", "(word:1.1025), (x:1.05), (y:0.9524)", "{{word}}, {x}, [y]", None),
    ("webui2nai", "((a), b)", "{{{{a}}}}, {{b}}", ["1.21", "1.1"]),
    ("webui2nai", "(a:1)", "a", None),
    ("webui2nai", "best quality, (red eyes:1.3), [blurry], <hypernet:h:1>",
     "best quality, {{{{{red eyes}}}}}, [[blurry]], <hypernet:h:1>", ["近似为 5 层花括号", "近似为 2 层方括号"]),
    ("webui2nai", r"saber \(fate\), (<lora:x:0.8> girl:1.2)", r"saber \(fate\), <lora:x:0.8> {{{{girl}}}}",
     ["近似为 4 层花括号"]),
    ("webui2nai", "[cat:dog:10], [a|b], (x:1.05)", "[cat:dog:10], [a|b], {x}", ["提示词编辑", "交替", "不是权重"]),
    ("webui2nai", "a [(tree:1.2):house:0.5] b", "a [(tree:1.2):house:0.5] b", ["提示词编辑"]),
    ("webui2nai", "[cat:dog: 0.5 ], [a|], (b)", "[cat:dog: 0.5 ], [a|], {{b}}", ["提示词编辑", "交替", "近似为 2 层花括号"]),
    ("webui2nai", "[[a]]", "[[[[a]]]]", ["0.8264", "近似为 4 层方括号"]),
]


def test_prompt_conversions(page, server):
    open_paint(page, server)
    failures = []
    for direction, text, expected, notes in CONVERSIONS:
        r = convert(page, direction, text)
        if r["output"] != expected or r["error"]:
            failures.append(f"{direction} {text!r}: got {r['output']!r} (error {r['error']!r}), want {expected!r}")
        if notes is None and r["notes"]:
            failures.append(f"{direction} {text!r}: unexpected notes {r['notes']}")
        for needle in notes or []:
            if not any(needle in n for n in r["notes"]):
                failures.append(f"{direction} {text!r}: no note with {needle!r} in {r['notes']}")
    assert not failures, "\n".join(failures)
    assert_clean(page)


def test_prompt_round_trip_and_digits(page, server):
    open_paint(page, server)
    nai = "{{a}}, [b], {{{c}}}, d"
    webui = convert(page, "nai2webui", nai)["output"]
    assert webui == "(a:1.1025), (b:0.9524), (c:1.1576), d"
    back = convert(page, "webui2nai", webui)
    assert back["output"] == nai and back["notes"] == []
    webui2 = "(a:1.1025), (b:0.907)"
    assert convert(page, "nai2webui", convert(page, "webui2nai", webui2)["output"])["output"] == webui2
    assert convert(page, "nai2webui", "{{{a}}}", digits="2")["output"] == "(a:1.16)"
    assert convert(page, "nai2webui", "{{{a}}}", digits="3")["output"] == "(a:1.158)"
    # live conversion while typing, without pressing the button
    page.check('input[name="wb-prompt-direction"][value="nai2webui"]')
    page.fill("#wb-prompt-input", "{live}")
    page.wait_for_function("document.querySelector('#wb-prompt-result').value === '(live:1.05)'")
    assert_clean(page)


def test_prompt_numeric_weights_for_novelai_v4(page, server):
    """WebUI → NovelAI with the numeric output ticked: exact 1.3::x:: instead of approximate braces."""
    open_paint(page, server)
    r = convert(page, "webui2nai", "(red eyes:1.3), [blurry], (a:1), <lora:x:0.8>", numeric=True)
    assert r["output"] == "1.3::red eyes::, 0.9091::blurry::, a, <lora:x:0.8>" and r["notes"] == []
    back = convert(page, "nai2webui", r["output"])
    assert back["output"] == "(red eyes:1.3), (blurry:0.9091), a, <lora:x:0.8>" and back["notes"] == []
    assert convert(page, "webui2nai", "(red eyes:1.3)")["output"] == "{{{{{red eyes}}}}}"   # unticked: braces
    assert_clean(page)


# (direction, input, 1-based position, message fragment, caret snippet)
ERRORS = [
    ("nai2webui", "a::b", 2, "多余的 ::", "a::b\n ^"),
    ("nai2webui", "1.5::a 2::b::", 8, "数值权重套数值权重", "1.5::a 2::b::\n       ^"),
    ("nai2webui", "1.5::{a::}", 8, "括号交错", "1.5::{a::}\n       ^"),
    ("nai2webui", "{1.5::a}", 8, "数值权重还没有用 :: 结束", "{1.5::a}\n       ^"),
    ("nai2webui", "{a]", 3, "括号交错", "{a]\n  ^"),
    ("nai2webui", "a}", 2, "多余的 }", "a}\n ^"),
    ("nai2webui", "line one\n{{oops}", 10, "括号没有闭合", "{{oops}\n^"),
    ("webui2nai", "(a [b) c]", 6, "括号交错", "(a [b) c]\n     ^"),
    ("webui2nai", "best, (a", 7, "括号没有闭合", "best, (a\n      ^"),
    ("webui2nai", "a)", 2, "多余的 )", "a)\n ^"),
    # full-width characters take two columns, so the caret still lines up
    ("webui2nai", "中文 (a:1.2))", 11, "多余的 )", "中文 (a:1.2))\n" + " " * 12 + "^"),
]


@pytest.mark.parametrize("direction,text,pos,fragment,caret", ERRORS)
def test_unbalanced_brackets_are_reported_with_position(page, server, direction, text, pos, fragment, caret):
    open_paint(page, server)
    r = convert(page, direction, text)
    assert r["output"] == ""
    assert f"第 {pos} 个字符" in r["status"]
    assert f"第 {pos} 个字符：" in r["error"] and fragment in r["error"]
    assert page.text_content("#wb-prompt-error pre") == caret
    assert page.get_attribute("#wb-prompt-error", "role") == "alert"
    # fixing the prompt clears the error
    convert(page, direction, "fine")
    assert not page.locator("#wb-prompt-error").is_visible()
    assert_clean(page)


# ------------------------------------------------------------------ 2. image metadata reader

INFOTEXT = (
    "masterpiece, 1girl, (smile:1.2), <lora:detail_v2:0.8>\n"
    "second line of the prompt\n"
    "Negative prompt: lowres, bad anatomy\n"
    "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567890, Size: 512x768, "
    "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, "
    'Lora hashes: "detail_v2: 3f1a2b3c4d5e, other: 0a1b2c3d4e5f", Hires upscale: 2, Hires upscaler: Latent, '
    "Denoising strength: 0.5, Version: v1.10.1"
)
PROMPT = "masterpiece, 1girl, (smile:1.2), <lora:detail_v2:0.8>\nsecond line of the prompt"
NEGATIVE = "lowres, bad anatomy"
PARAMS = [
    ["Steps", "20"], ["Sampler", "DPM++ 2M"], ["Schedule type", "Karras"], ["CFG scale", "7"],
    ["Seed", "1234567890"], ["Size", "512x768"], ["Model hash", "6ce0161689"], ["Model", "v1-5-pruned-emaonly"],
    ["Lora hashes", "detail_v2: 3f1a2b3c4d5e, other: 0a1b2c3d4e5f"], ["Hires upscale", "2"],
    ["Hires upscaler", "Latent"], ["Denoising strength", "0.5"], ["Version", "v1.10.1"],
]


def png_bytes(texts=(), size=(8, 8), **add_kw):
    im = Image.new("RGB", size, (200, 120, 40))
    info = PngInfo()
    for key, value in texts:
        info.add_text(key, value, **add_kw)
    buf = io.BytesIO()
    im.save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def tiff_with_user_comment(comment: bytes, little: bool) -> bytes:
    """A minimal EXIF TIFF block: IFD0 → Exif IFD → UserComment (0x9286), in either byte order."""
    e = "<" if little else ">"
    exif_ifd = 8 + 2 + 12 + 4
    data_at = exif_ifd + 2 + 12 + 4
    return ((b"II" if little else b"MM") + struct.pack(e + "HI", 42, 8)
            + struct.pack(e + "H", 1) + struct.pack(e + "HHII", 0x8769, 4, 1, exif_ifd) + struct.pack(e + "I", 0)
            + struct.pack(e + "H", 1) + struct.pack(e + "HHII", 0x9286, 7, len(comment), data_at)
            + struct.pack(e + "I", 0) + comment)


def jpeg_bytes(comment: bytes, little: bool, fmt="JPEG"):
    im = Image.new("RGB", (16, 24), (30, 60, 90))
    buf = io.BytesIO()
    im.save(buf, fmt, exif=b"Exif\x00\x00" + tiff_with_user_comment(comment, little))
    return buf.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def read_image(page, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    page.set_input_files("#wb-image-input", str(path))
    page.wait_for_function("""() => {
        const s = document.querySelector('#wb-image-status').textContent;
        return s && !s.startsWith('正在读取');
    }""", timeout=10000)
    return page.text_content("#wb-image-status")


def a1111_section(page, kind="a1111"):
    sec = f".wb-meta-{kind}"
    return {
        "title": page.text_content(f"{sec} .wb-meta-title"),
        "prompt": page.text_content(f"{sec} .wb-prompt code"),
        "negative": page.text_content(f"{sec} .wb-negative code"),
        "params": page.eval_on_selector_all(
            f"{sec} table tbody tr", "rows => rows.map(r => [r.cells[0].textContent, r.cells[1].textContent])"),
    }


def grant_clipboard(page, server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))


def clipboard(page):
    return page.evaluate("navigator.clipboard.readText()")


def test_a1111_png_parameters(page, server, tmp_path):
    grant_clipboard(page, server)
    open_paint(page, server)
    status = read_image(page, tmp_path, "a1111.png", png_bytes([("parameters", INFOTEXT)]))
    assert status == "读取完成：找到 WebUI 生成参数。"
    s = a1111_section(page)
    assert s["title"] == "WebUI 生成参数（来自 PNG 文本块 parameters）"
    assert (s["prompt"], s["negative"], s["params"]) == (PROMPT, NEGATIVE, PARAMS)
    assert "a1111.png · PNG · 8×8" in page.text_content(".wb-fileinfo")
    for label, expected in (("复制提示词", PROMPT), ("复制负面提示词", NEGATIVE), ("复制全部参数", INFOTEXT)):
        page.click(f".wb-meta-a1111 button:has-text('{label}')")
        page.wait_for_function("document.querySelector('#wb-image-copy-status').textContent.includes('已复制')")
        assert clipboard(page) == expected
        page.evaluate("document.querySelector('#wb-image-copy-status').textContent = ''")
    assert_clean(page)


def test_compressed_and_international_text_chunks(page, server, tmp_path):
    open_paint(page, server)
    # zip=True: zTXt for Latin-1 text; Chinese text goes into a compressed iTXt
    read_image(page, tmp_path, "ztxt.png", png_bytes([("parameters", INFOTEXT)], zip=True))
    s = a1111_section(page)
    assert (s["prompt"], s["params"]) == (PROMPT, PARAMS)
    chinese = "一个女孩，微笑\nNegative prompt: 低质量\nSteps: 28, Sampler: Euler a, CFG scale: 5, Seed: 7"
    read_image(page, tmp_path, "itxt-zip.png", png_bytes([("parameters", chinese)], zip=True))
    s = a1111_section(page)
    assert (s["prompt"], s["negative"]) == ("一个女孩，微笑", "低质量")
    assert s["params"] == [["Steps", "28"], ["Sampler", "Euler a"], ["CFG scale", "5"], ["Seed", "7"]]
    read_image(page, tmp_path, "itxt.png", png_bytes([("parameters", chinese)]))
    assert a1111_section(page)["prompt"] == "一个女孩，微笑"
    assert_clean(page)


@pytest.mark.parametrize("little", [False, True], ids=["big-endian-piexif", "little-endian"])
def test_a1111_jpeg_exif_user_comment(page, server, tmp_path, little):
    open_paint(page, server)
    comment = b"UNICODE\x00" + INFOTEXT.encode("utf-16-le" if little else "utf-16-be")
    status = read_image(page, tmp_path, "a1111.jpg", jpeg_bytes(comment, little=not little))
    assert status == "读取完成：找到 WebUI 生成参数。"
    s = a1111_section(page)
    assert s["title"] == "WebUI 生成参数（来自 EXIF UserComment）"
    assert (s["prompt"], s["negative"], s["params"]) == (PROMPT, NEGATIVE, PARAMS)
    assert "JPEG · 16×24" in page.text_content(".wb-fileinfo")
    assert_clean(page)


def test_exif_ascii_prefix_and_webp(page, server, tmp_path):
    open_paint(page, server)
    read_image(page, tmp_path, "ascii.jpg", jpeg_bytes(b"ASCII\x00\x00\x00" + INFOTEXT.encode(), little=True))
    assert a1111_section(page)["params"] == PARAMS
    comment = b"UNICODE\x00" + INFOTEXT.encode("utf-16-be")
    status = read_image(page, tmp_path, "a1111.webp", jpeg_bytes(comment, little=False, fmt="WEBP"))
    assert status == "读取完成：找到 WebUI 生成参数。"
    assert (a1111_section(page)["prompt"], a1111_section(page)["params"]) == (PROMPT, PARAMS)
    assert_clean(page)


NAI_COMMENT = {
    "prompt": "1girl, {{smile}}, night sky", "steps": 28, "height": 1216, "width": 832, "scale": 5.0,
    "uncond_scale": 1.0, "cfg_rescale": 0.0, "seed": 3141592653, "n_samples": 1, "noise_schedule": "native",
    "sampler": "k_euler_ancestral", "sm": False, "sm_dyn": False,
    "uc": "lowres, {bad}, error", "v4_prompt": {"caption": {"base_caption": "1girl"}, "use_order": True},
}


def test_novelai_png(page, server, tmp_path):
    grant_clipboard(page, server)
    open_paint(page, server)
    data = png_bytes([
        ("Title", "NovelAI generated image"),
        ("Description", NAI_COMMENT["prompt"]),
        ("Software", "NovelAI"),
        ("Source", "NovelAI Diffusion V4.5 4BDE2A90"),
        ("Generation time", "4.2"),
        ("Comment", json.dumps(NAI_COMMENT)),
    ])
    status = read_image(page, tmp_path, "nai.png", data)
    assert status == "读取完成：找到 NovelAI 生成参数。"
    s = a1111_section(page, "novelai")
    assert s["title"] == "NovelAI 生成参数"
    assert (s["prompt"], s["negative"]) == (NAI_COMMENT["prompt"], NAI_COMMENT["uc"])
    rows = dict(s["params"])
    assert [k for k, _ in s["params"][:6]] == ["steps", "scale", "seed", "sampler", "width", "height"]
    assert rows["steps"] == "28" and rows["scale"] == "5" and rows["seed"] == "3141592653"
    assert rows["sampler"] == "k_euler_ancestral" and rows["cfg_rescale"] == "0" and rows["sm"] == "false"
    assert json.loads(rows["v4_prompt"]) == NAI_COMMENT["v4_prompt"]
    assert rows["Software"] == "NovelAI" and rows["Source"] == "NovelAI Diffusion V4.5 4BDE2A90"
    assert rows["Title"] == "NovelAI generated image" and rows["Generation time"] == "4.2"
    assert "Description" not in rows     # same as the prompt, so not repeated
    page.click(".wb-meta-novelai button:has-text('复制负面提示词')")
    page.wait_for_function("document.querySelector('#wb-image-copy-status').textContent.includes('已复制')")
    assert clipboard(page) == NAI_COMMENT["uc"]
    assert page.locator(".wb-meta-a1111").count() == 0 and page.locator("table:has-text('其他文本信息')").count() == 0
    assert_clean(page)


COMFY_PROMPT = {
    "3": {"class_type": "KSampler", "inputs": {"seed": 42, "steps": 20, "cfg": 8, "model": ["4", 0],
                                                 "positive": ["6", 0], "negative": ["7", 0]}},
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024, "height": 1024, "batch_size": 1}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat sitting on a windowsill", "clip": ["4", 1]}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry, watermark", "clip": ["4", 1]}},
    "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
    "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}},
}
COMFY_WORKFLOW = {
    "last_node_id": 9, "last_link_id": 9, "version": 0.4, "links": [],
    "nodes": [{"id": int(k), "type": v["class_type"], "widgets_values":
               [v["inputs"]["text"]] if "text" in v["inputs"] else []} for k, v in COMFY_PROMPT.items()],
}


def test_comfyui_png(page, server, tmp_path):
    grant_clipboard(page, server)
    open_paint(page, server)
    workflow_json = json.dumps(COMFY_WORKFLOW)
    data = png_bytes([("prompt", json.dumps(COMFY_PROMPT)), ("workflow", workflow_json)])
    status = read_image(page, tmp_path, "ComfyUI_00001_.png", data)
    assert status == "读取完成：找到 ComfyUI 工作流。"
    summary = page.text_content(".wb-comfy-summary")
    assert "ComfyUI 工作流，共 7 个节点" in summary
    blocks = page.eval_on_selector_all(".wb-comfy-text", "els => els.map(e => [e.querySelector('.wb-block-title').textContent, e.querySelector('code').textContent])")
    assert blocks == [["#6 CLIPTextEncode", "a cat sitting on a windowsill"], ["#7 CLIPTextEncode", "blurry, watermark"]]
    page.click(".wb-meta-comfyui button:has-text('复制工作流 JSON')")
    page.wait_for_function("document.querySelector('#wb-image-copy-status').textContent.includes('已复制')")
    assert clipboard(page) == workflow_json
    assert page.locator(".wb-meta-comfyui button:has-text('复制 API 格式 JSON')").count() == 1
    assert_clean(page)


def test_broken_and_empty_files_get_clear_messages(page, server, tmp_path):
    open_paint(page, server)
    good = png_bytes([("parameters", INFOTEXT)], size=(64, 64))

    def error_text():
        return page.text_content("#wb-image-result .wb-error")

    # a PNG signature followed by rubbish
    read_image(page, tmp_path, "corrupt.png", good[:8] + b"\xff" * 200)
    assert error_text().startswith("文件已损坏：") and "数据块头无效" in error_text()
    assert page.get_attribute("#wb-image-result .wb-error", "role") == "alert"
    assert page.locator(".wb-meta").count() == 0
    # a .png whose bytes are not an image at all
    read_image(page, tmp_path, "fake.png", b"<html>not an image</html>")
    assert error_text().startswith("文件已损坏：文件名是图片")
    # a PNG cut off inside the image data: the parameters are still shown, with a warning
    status = read_image(page, tmp_path, "cut.png", good[:-30])
    assert status == "读取完成：找到 WebUI 生成参数。"
    assert error_text().startswith("文件不完整：") and "IDAT" in error_text()
    assert a1111_section(page)["params"] == PARAMS
    # a PNG cut off inside the text chunk: nothing to show but the reason
    cut_at = good.index(b"tEXt") + 40
    status = read_image(page, tmp_path, "cut-early.png", good[:cut_at])
    assert status == "文件不完整。"
    assert page.locator("#wb-image-result [data-kind=truncated]").count() == 1
    assert page.locator(".wb-meta").count() == 0
    # a PNG with a damaged text chunk (CRC mismatch): shown, with a warning
    pos = good.index(b"parameters") + 20
    damaged = good[:pos] + bytes([good[pos] ^ 0x20]) + good[pos + 1:]
    read_image(page, tmp_path, "crc.png", damaged)
    assert "CRC 不符" in page.text_content(".wb-warning")
    # no metadata at all
    status = read_image(page, tmp_path, "plain.png", png_bytes())
    assert status == "没有找到生成参数。"
    assert error_text().startswith("没有在这张图片里找到生成参数。")
    # not an image
    status = read_image(page, tmp_path, "notes.txt", "提示词备忘".encode() * 10)
    assert status == "读取失败。"
    assert error_text() == "这不是 PNG、JPEG 或 WebP 图片，无法读取生成参数。"
    # a GIF is recognised but not supported
    gif = io.BytesIO()
    Image.new("P", (4, 4)).save(gif, "GIF")
    read_image(page, tmp_path, "anim.gif", gif.getvalue())
    assert error_text().startswith("这是一张 GIF 图片。")
    # empty file
    read_image(page, tmp_path, "empty.png", b"")
    assert error_text() == "这个文件是空的（0 字节）。"
    # a JPEG cut before the image data
    jpg = jpeg_bytes(b"UNICODE\x00" + INFOTEXT.encode("utf-16-be"), little=False)
    read_image(page, tmp_path, "cut.jpg", jpg[:30])
    assert error_text().startswith("文件不完整：")
    assert_clean(page)


def test_drop_a_file_on_the_drop_zone(page, server):
    open_paint(page, server)
    data = list(png_bytes([("parameters", INFOTEXT)]))
    page.evaluate("""bytes => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], 'dropped.png', {type: 'image/png'}));
        const zone = document.querySelector('.wb-drop');
        zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", data)
    page.wait_for_function("document.querySelector('#wb-image-status').textContent.startsWith('读取完成')")
    assert a1111_section(page)["params"] == PARAMS
    assert "dropped.png" in page.text_content(".wb-fileinfo")
    assert_clean(page)


def test_large_file_is_read_quickly_without_freezing_the_page(page, server, tmp_path):
    open_paint(page, server)
    # 40 MB: signature, IHDR, the parameters, then 2,500 IDAT chunks of 16 KB (not valid image data:
    # the reader must never look at pixels) and IEND.
    head = png_bytes([("parameters", INFOTEXT)], size=(4096, 4096))
    head = head[:head.index(b"IDAT") - 4]
    idat = chunk(b"IDAT", b"\x00" * 16384)
    path = tmp_path / "huge.png"
    with path.open("wb") as f:
        f.write(head)
        for _ in range(2500):
            f.write(idat)
        f.write(chunk(b"IEND", b""))
    assert path.stat().st_size > 40_000_000
    page.evaluate("""() => {
        window.__gaps = [];
        let last = performance.now();
        window.__beat = setInterval(() => {
            const now = performance.now();
            window.__gaps.push(now - last);
            last = now;
        }, 20);
    }""")
    t0 = time.monotonic()
    page.set_input_files("#wb-image-input", str(path))
    page.wait_for_function("document.querySelector('#wb-image-status').textContent.startsWith('读取完成')",
                           timeout=10000)
    elapsed = time.monotonic() - t0
    page.wait_for_timeout(200)
    gaps = page.evaluate("clearInterval(window.__beat), window.__gaps")
    assert elapsed < 5, f"took {elapsed:.1f}s"
    assert max(gaps) < 400, f"main thread blocked for {max(gaps):.0f} ms"
    assert a1111_section(page)["params"] == PARAMS
    assert "4096×4096" in page.text_content(".wb-fileinfo")
    assert page.locator("#wb-image-result .wb-error").count() == 0
    assert_clean(page)


# ------------------------------------------------------------------ 3. resolution calculator

def resolution(page, family, ratio, scale, side=None, custom=None):
    page.select_option("#wb-res-family", family)
    if side is not None:
        page.fill("#wb-res-side", str(side))
    page.select_option("#wb-res-ratio", ratio)
    if custom:
        page.fill("#wb-res-ratio-w", str(custom[0]))
        page.fill("#wb-res-ratio-h", str(custom[1]))
    page.fill("#wb-res-scale", str(scale))
    sizes = page.locator("#wb-res-result .wb-size").all_text_contents()
    notes = page.eval_on_selector_all("#wb-res-result tbody tr", "rows => rows.map(r => r.cells[2].textContent)")
    return sizes, notes, page.text_content("#wb-res-status")


@pytest.mark.parametrize("family,ratio,scale,side,custom,expected", [
    ("sd15", "1:1", 2, None, None, ["512×512", "512×512", "1024×1024"]),
    ("sdxl", "1:1", 1.5, None, None, ["1024×1024", "1024×1024", "1536×1536", "1024×1024"]),
    ("sdxl", "3:4", 1.5, None, None, ["896×1152", "888×1184", "1344×1728", "896×1152"]),
    ("sdxl", "9:16", 2, None, None, ["768×1344", "768×1368", "1536×2688", "768×1344"]),
    ("flux", "16:9", 1.5, None, None, ["1344×768", "1368×768", "2016×1152"]),
    ("sd15", "2:3", 1.35, None, None, ["448×640", "416×624", "600×864"]),
    ("custom", "4:3", 2, 768, None, ["896×640", "888×664", "1792×1280"]),
    ("sdxl", "custom", 1.5, None, (5, 7), ["896×1216", "864×1208", "1344×1824", "832×1216"]),
])
def test_resolution_calculator(page, server, family, ratio, scale, side, custom, expected):
    open_paint(page, server)
    sizes, notes, status = resolution(page, family, ratio, scale, side, custom)
    assert sizes == expected
    assert status == f"推荐 {expected[0]}，高清修复后 {expected[2]}。"
    assert page.locator(".wb-res-custom-side").is_visible() == (family == "custom")
    assert page.locator(".wb-res-custom-ratio").is_visible() == (ratio == "custom")
    if scale == 1.35:
        assert notes[2] == "A1111 先算出 604×864，出图时宽高各自向下取到 8 的倍数"
    assert_clean(page)


def test_resolution_calculator_rejects_bad_input(page, server):
    open_paint(page, server)
    page.select_option("#wb-res-family", "custom")
    page.fill("#wb-res-side", "10")
    assert page.text_content("#wb-res-status") == "无法计算：基准边长请填 64 到 8192 之间的数字。"
    assert page.locator("#wb-res-result table").count() == 0
    page.fill("#wb-res-side", "1024")
    page.fill("#wb-res-scale", "0")
    assert page.text_content("#wb-res-status") == "无法计算：放大倍数请填 1 到 8 之间的数字。"
    assert_clean(page)


# ------------------------------------------------------------------ loading, instant navigation, a11y

def test_script_and_stylesheet_only_on_the_workbench(site):
    paint = (site / "paint/index.html").read_text(encoding="utf-8")
    assert paint.count("javascripts/workbench.js") == 1 and paint.count("stylesheets/workbench.css") == 1
    for other in ("index.html", "install/index.html", "guide/prompt-syntax/index.html"):
        html = (site / other).read_text(encoding="utf-8")
        assert "workbench" not in html, other


def test_instant_navigation_from_the_home_page_initialises_the_tools(page, server):
    # Material navigates instantly only to URLs listed in sitemap.xml; conftest builds with site_url = server
    page.goto(server, wait_until="networkidle")     # instant navigation needs the sitemap first
    page.evaluate("window.__sameDocument = true")
    assert page.evaluate("typeof window.AiDrawWorkbench") == "undefined"
    page.click(".aidraw-hero a[href$='paint/']")
    page.wait_for_url(server + "paint/")
    for tool in TOOLS:
        page.wait_for_selector(f'[data-wb-tool="{tool}"][data-wb-ready]', state="attached", timeout=5000)
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation, got a full page load"
    # the stylesheet arrived too
    page.wait_for_function("getComputedStyle(document.querySelector('.wb-tool')).borderTopStyle === 'solid'")
    assert convert(page, "nai2webui", "{{word}}")["output"] == "(word:1.1025)"
    assert resolution(page, "sdxl", "1:1", 2)[0][0] == "1024×1024"
    # away and back again: still one set of handlers, still working
    page.click("a.md-tabs__link:has-text('安装配置')")
    page.wait_for_url(server + "install/")
    page.wait_for_selector(".wb-tool", state="detached")
    page.evaluate("history.back()")      # popstate: Material swaps the content back in place
    page.wait_for_function("location.pathname === '/paint/'")
    for tool in TOOLS:
        page.wait_for_selector(f'[data-wb-tool="{tool}"][data-wb-ready]', state="attached", timeout=5000)
    assert page.evaluate("window.__sameDocument") is True
    r = convert(page, "webui2nai", "(word)")
    assert r["output"] == "{{word}}" and len(r["notes"]) == 1
    assert_clean(page)


def test_controls_are_labelled_keyboard_usable_and_readable_in_both_palettes(page, server):
    open_paint(page, server)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('.wb-tool input, .wb-tool select, .wb-tool textarea')]
        .filter(e => !e.labels || e.labels.length === 0).map(e => e.id || e.name)""")
    assert unlabelled == []
    for sel in ("#wb-prompt-status", "#wb-image-status", "#wb-res-status"):
        assert page.get_attribute(sel, "role") == "status"
    assert page.locator(".wb-nojs:visible").count() == 0
    # keyboard only: focus the prompt box, type, tab to the digits, the button, submit with Enter
    page.focus("#wb-prompt-input")
    page.keyboard.type("{kbd}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "wb-prompt-digits"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.input_value("#wb-prompt-result") == "(kbd:1.05)"
    for scheme in ("default", "slate"):
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        fg, bg = page.evaluate("""() => {
            const s = getComputedStyle(document.querySelector('#wb-prompt-input'));
            return [s.color, s.backgroundColor];
        }""")
        assert fg != bg, scheme
    assert_clean(page)


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_serious_accessibility_violation_with_results_shown(page, server, tmp_path, scheme):
    axe = ROOT / "node_modules/axe-core/axe.min.js"
    if not axe.exists():
        pytest.skip("axe-core is installed by `python3 scripts/dev.py test`")
    open_paint(page, server)
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    convert(page, "webui2nai", "(word), (a")
    read_image(page, tmp_path, "a1111.png", png_bytes([("parameters", INFOTEXT)]))
    page.add_script_tag(path=str(axe))
    result = page.evaluate("""() => axe.run(document.querySelector('article'), {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        resultTypes: ['violations']})""")
    serious = [f"{v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)
    assert_clean(page)
