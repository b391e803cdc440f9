/* AiDraw 工作台（/paint/）的三个小工具：提示词权重转换、图片信息读取、分辨率计算。
 *
 * 纯浏览器端运行：不上传文件、不向任何服务器发请求、不依赖第三方库。
 * 只在带有 `workbench: true` 的页面加载（overrides/main.html 把本脚本放进内容区）。
 * Material 的即时导航（navigation.instant）会重新执行内容区里的脚本，并在每次换页后通过
 * `document$` 通知；这里两种情况都处理，且每个工具只初始化一次。
 */
(function () {
  "use strict";

  if (window.AiDrawWorkbench) {
    window.AiDrawWorkbench.init();
    return;
  }

  /* ------------------------------------------------------------------ 通用 */

  function $(root, sel) { return root.querySelector(sel); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "className") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function fmtNumber(x, digits) {
    var s = x.toFixed(digits);
    if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
    if (s === "-0") s = "0";
    return s;
  }

  function copyText(text, status) {
    function done(ok) {
      if (status) status.textContent = ok ? "已复制到剪贴板。" : "复制失败：请手动选中文字后按 Ctrl+C。";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback()); });
    } else {
      done(fallback());
    }
    function fallback() {
      var ta = el("textarea", { readonly: "", "aria-hidden": "true" });
      ta.value = text;
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      ta.remove();
      return ok;
    }
  }

  function copyButton(label, getText, status) {
    var b = el("button", { type: "button", className: "wb-button wb-copy", text: label });
    b.addEventListener("click", function () { copyText(getText(), status); });
    return b;
  }

  /* ------------------------------------------------- 1. 提示词权重转换 */

  var NAI_STEP = 1.05;
  var WEBUI_STEP = 1.1;
  // Extra-network tags such as <lora:name:0.8>, <hypernet:name:1>, <lyco:…>: never weights.
  var EXTRA_NETWORK_RE = /^<\w+:[^<>]+>/;
  var A1111_WEIGHT_RE = /^:([+-]?[.\d]+)\)/;           // modules/prompt_parser.py re_attention
  var SPACED_WEIGHT_RE = /^:\s+[+-]?(?:\d+\.?\d*|\.\d+)\s*\)/;
  // scheduled: "[" [prompt ":"] prompt ":" [WHITESPACE] NUMBER [WHITESPACE] "]" (lark SIGNED_NUMBER)
  var SCHEDULE_NUMBER_RE = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

  function PromptError(message, pos) {
    this.message = message;
    this.pos = pos;
  }

  function pairName(ch) {
    return { "{": "}", "[": "]", "(": ")", "}": "{", "]": "[", ")": "(", "::": "::" }[ch];
  }

  // NovelAI V4 and later: numeric weights, "1.5::text::" (and negative ones, "-1::text::"). The number
  // starts a tag, so it follows the start of the prompt, a space, a comma or a bracket.
  var NAI_NUMERIC_RE = /^(-?(?:\d+(?:\.\d*)?|\.\d+))::/;
  var NAI_NUMERIC_BEFORE = /[\s,{}\[\]]/;

  // The open bracket that the closing bracket `c` at position i closes; a clear error if there is none.
  function matchingOpen(stack, c, i) {
    var open = pairName(c);
    if (!stack.length) throw new PromptError("多余的 " + c + "：前面没有与它配对的 " + open + "。", i);
    var top = stack[stack.length - 1];
    if (top.ch === "::" && c !== "::") {
      throw new PromptError("括号交错：第 " + (top.pos + 1) + " 个字符开始的数值权重还没有用 :: 结束，就先出现了 " + c + "。", i);
    }
    if (top.ch !== open) {
      throw new PromptError("括号交错：第 " + (top.pos + 1) + " 个字符的 " + top.ch + " 还没有用 " +
        pairName(top.ch) + " 闭合，就先出现了 " + c + "。", i);
    }
    return top;
  }

  // At the end of the prompt every open bracket must have been closed.
  function assertAllClosed(stack) {
    if (!stack.length) return;
    var last = stack[stack.length - 1];
    throw new PromptError("括号没有闭合：第 " + (last.pos + 1) + " 个字符的 " + last.ch + " 缺少对应的 " +
      pairName(last.ch) + "。", last.pos);
  }

  // NovelAI: {x} ×1.05, [x] ÷1.05, nested braces multiply; 1.5::x:: sets a numeric weight (V4 and later),
  // which multiplies with the braces around it. Round brackets are plain text there.
  function parseNai(text) {
    var segs = [], notes = [], stack = [], buf = "", level = 0, escapedParen = false, numeric = null;
    function flush() {
      if (buf) segs.push({ text: buf, w: Math.pow(NAI_STEP, level) * (numeric ? numeric.w : 1) });
      buf = "";
    }
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === ":" && text[i + 1] === ":") {
        if (!numeric) {
          throw new PromptError("多余的 ::：前面没有“数字::”开头的数值权重与它配对。", i);
        }
        matchingOpen(stack, "::", i);
        flush();
        stack.pop();
        numeric = null;
        i++;
        continue;
      }
      var nm = (c === "-" || c === "." || (c >= "0" && c <= "9")) &&
        (i === 0 || NAI_NUMERIC_BEFORE.test(text[i - 1])) ? NAI_NUMERIC_RE.exec(text.slice(i, i + 40)) : null;
      if (nm) {
        if (numeric) {
          throw new PromptError("数值权重套数值权重：第 " + (numeric.pos + 1) + " 个字符开始的权重还没有用 :: 结束。" +
            "本工具不换算嵌套的数值权重，请先拆开。", i);
        }
        flush();
        numeric = { w: parseFloat(nm[1]), pos: i };
        stack.push({ ch: "::", pos: i });
        if (numeric.w < 0) {
          notes.push("“" + nm[0] + "”是负权重。WebUI 也接受 (词:" + nm[1] + ") 这种写法，但在 WebUI 里更常见的做法是把不想要的内容写进负面提示词。");
        }
        i += nm[0].length - 1;
        continue;
      }
      if (c === "\\" && i + 1 < text.length && "{}[]()\\".indexOf(text[i + 1]) >= 0) {
        buf += c + text[i + 1];
        i++;
        continue;
      }
      if (c === "<") {
        var m = EXTRA_NETWORK_RE.exec(text.slice(i, i + 400));
        if (m) {
          // LoRA / hypernet tags are read before any weighting: keep them outside the brackets.
          flush();
          segs.push({ text: m[0], w: 1 });
          i += m[0].length - 1;
          continue;
        }
      }
      if (c === "{" || c === "[") {
        flush();
        stack.push({ ch: c, pos: i });
        level += c === "{" ? 1 : -1;
        continue;
      }
      if (c === "}" || c === "]") {
        matchingOpen(stack, c, i);
        flush();
        stack.pop();
        level += c === "}" ? -1 : 1;
        continue;
      }
      if (c === "(" || c === ")") {
        buf += "\\" + c;
        escapedParen = true;
        continue;
      }
      buf += c;
    }
    if (numeric && stack[stack.length - 1].ch === "::") {
      notes.push("第 " + (numeric.pos + 1) + " 个字符开始的数值权重没有用 :: 结束，这里按一直延续到提示词末尾换算。");
      flush();
      stack.pop();
      numeric = null;
    }
    assertAllClosed(stack);
    flush();
    if (escapedParen) {
      notes.push("圆括号在 NovelAI 里不表示加权，在 WebUI 里却会加权，所以已改写成转义的 \\( 和 \\)。");
      if (/\([^()]*:[+-]?[.\d]+\)/.test(text)) {
        notes.push("输入里有 (词:数字) 这样的 WebUI 写法：如果原文本来就是 WebUI 提示词，请把方向切换为“WebUI → NovelAI”。");
      }
    }
    return { segs: segs, notes: notes };
  }

  // Index of the "]" closing the "[" at `start`, or -1 (escapes skipped, both bracket kinds counted).
  function matchingSquare(text, start) {
    var depth = 0;
    for (var j = start + 1; j < text.length; j++) {
      var c = text[j];
      if (c === "\\") { j++; continue; }
      if (c === "(" || c === "[") depth++;
      else if (c === ")") depth--;
      else if (c === "]") {
        if (depth === 0) return j;
        depth--;
      }
      if (depth < 0) return -1;
    }
    return -1;
  }

  // [from:to:when] / [to:when] (prompt editing) or [a|b] (alternation): the grammar of prompt_parser.py.
  function editingKind(inner) {
    var depth = 0, lastColon = -1, pipe = false;
    for (var k = 0; k < inner.length; k++) {
      var c = inner[k];
      if (c === "\\") { k++; continue; }
      if (c === "(" || c === "[") depth++;
      else if (c === ")" || c === "]") depth--;
      else if (depth === 0 && c === "|") pipe = true;
      else if (depth === 0 && c === ":") lastColon = k;
    }
    if (pipe) return "alternate";
    if (lastColon >= 0 && SCHEDULE_NUMBER_RE.test(inner.slice(lastColon + 1))) return "scheduled";
    return null;
  }

  // WebUI (A1111): (x) ×1.1, [x] ÷1.1, (x:1.3) ×1.3, nested brackets multiply; strict about balance.
  function parseWebui(text) {
    var notes = [];
    var root = { children: [], mult: 1 };
    var stack = [];
    var cur = root;
    var buf = "";
    var escapedBrace = false;
    function flush() {
      if (buf) cur.children.push(buf);
      buf = "";
    }
    function close(kind, mult, i) {
      var top = matchingOpen(stack, kind, i);
      flush();
      stack.pop();
      top.mult = mult;
      cur = stack.length ? stack[stack.length - 1] : root;
    }
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === "\\") {
        if (i + 1 < text.length && "()[]{}\\".indexOf(text[i + 1]) >= 0) {
          buf += c + text[i + 1];
          i++;
        } else {
          buf += c;
        }
        continue;
      }
      if (c === "<") {
        var m = EXTRA_NETWORK_RE.exec(text.slice(i, i + 400));
        if (m) {
          flush();
          cur.children.push({ raw: m[0] });
          i += m[0].length - 1;
          continue;
        }
      }
      if (c === "[") {
        var end = matchingSquare(text, i);
        var kind = end > 0 ? editingKind(text.slice(i + 1, end)) : null;
        if (kind) {
          var block = text.slice(i, end + 1);
          buf += block;
          notes.push("第 " + (i + 1) + " 个字符起的 " + block + " 是 WebUI 的" +
            (kind === "alternate" ? "交替（每一步轮换）" : "提示词编辑（到指定步数时切换）") +
            "语法，不是权重，已原样保留；NovelAI 没有这种写法，会把其中的方括号当作减弱。");
          i = end;
          continue;
        }
      }
      if (c === "(" || c === "[") {
        flush();
        var g = { ch: c, pos: i, children: [], mult: 1 };
        cur.children.push(g);
        stack.push(g);
        cur = g;
        continue;
      }
      if (c === ":") {
        var wm = A1111_WEIGHT_RE.exec(text.slice(i, i + 40));
        if (wm) {
          var w = Number(wm[1]);
          if (!isFinite(w)) throw new PromptError("权重“" + wm[1] + "”不是有效的数字。", i + 1);
          close(")", w, i + wm[0].length - 1);
          i += wm[0].length - 1;
          continue;
        }
        if (stack.length && SPACED_WEIGHT_RE.test(text.slice(i, i + 40))) {
          notes.push("第 " + (i + 1) + " 个字符处冒号后面有空格：A1111 不把“: 数字”当作权重，这里按普通文字 ×1.1 计算。");
        }
      }
      if (c === ")") { close(")", WEBUI_STEP, i); continue; }
      if (c === "]") { close("]", 1 / WEBUI_STEP, i); continue; }
      if (c === "{" || c === "}") escapedBrace = true;
      buf += c;
    }
    assertAllClosed(stack);
    flush();
    var segs = [];
    (function walk(node, w) {
      node.children.forEach(function (ch) {
        if (typeof ch === "string") segs.push({ text: ch, w: w });
        else if (ch.raw) segs.push({ text: ch.raw, w: 1 });
        else walk(ch, w * ch.mult);
      });
    })(root, 1);
    if (escapedBrace) {
      notes.push("原文里有花括号 { }：它们在 WebUI 里是普通文字，在 NovelAI 里却表示加强，请检查转换结果。");
    }
    return { segs: segs, notes: notes };
  }

  function mergeSegs(segs) {
    var out = [];
    segs.forEach(function (s) {
      var prev = out[out.length - 1];
      if (prev && Math.abs(prev.w - s.w) < 1e-9) prev.text += s.text;
      else out.push({ text: s.text, w: s.w });
    });
    return out;
  }

  function splitSeparators(text) {
    var m = /^([\s,]*)([\s\S]*?)([\s,]*)$/.exec(text);
    return { lead: m[1], core: m[2], trail: m[3] };
  }

  function toWebui(segs, digits) {
    return mergeSegs(segs).map(function (s) {
      var p = splitSeparators(s.text);
      var w = fmtNumber(s.w, digits);
      if (!p.core || w === "1") return s.text;
      return p.lead + "(" + p.core + ":" + w + ")" + p.trail;
    }).join("");
  }

  function toNai(segs, digits, notes, numericOut) {
    return mergeSegs(segs).map(function (s) {
      var p = splitSeparators(s.text);
      if (!p.core || Math.abs(s.w - 1) < 1e-9) return s.text;
      var shown = fmtNumber(s.w, digits);
      if (numericOut) return shown === "1" ? s.text : p.lead + shown + "::" + p.core + "::" + p.trail;
      if (s.w <= 0) {
        notes.push("“" + p.core + "”的权重是 " + shown + "，NovelAI 的括号无法表示 0 或负数，已保留 WebUI 写法。");
        return p.lead + "(" + p.core + ":" + shown + ")" + p.trail;
      }
      var n = Math.round(Math.log(s.w) / Math.log(NAI_STEP));
      var real = Math.pow(NAI_STEP, n);
      if (Math.abs(real - s.w) > 1e-4) {
        var how = n === 0 ? "太接近 1，只能去掉括号（相当于 1）" :
          "只能近似为 " + Math.abs(n) + " 层" + (n > 0 ? "花括号" : "方括号") + "（" + fmtNumber(real, 4) + "）";
        notes.push("“" + p.core + "”的权重 " + shown + " 在 NovelAI 里" + how + "。");
      }
      if (n === 0) return s.text;
      var open = n > 0 ? "{" : "[", close = n > 0 ? "}" : "]";
      var k = Math.abs(n);
      return p.lead + open.repeat(k) + p.core + close.repeat(k) + p.trail;
    }).join("");
  }

  function convertPrompt(text, direction, digits, numericOut) {
    if (direction === "webui2nai") {
      var w = parseWebui(text);
      var notes = w.notes.slice();
      var out = toNai(w.segs, digits, notes, numericOut);
      return { output: out, notes: notes };
    }
    var n = parseNai(text);
    return { output: toWebui(n.segs, digits), notes: n.notes };
  }

  function isWide(ch) {
    return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch);
  }

  // The line holding `pos`, cut to a window around it, with a caret line underneath.
  function caretLines(text, pos) {
    var lineStart = text.lastIndexOf("\n", pos - 1) + 1;
    var lineEnd = text.indexOf("\n", pos);
    if (lineEnd < 0) lineEnd = text.length;
    var from = Math.max(lineStart, pos - 40), to = Math.min(lineEnd, pos + 40);
    var shown = (from > lineStart ? "…" : "") + text.slice(from, to) + (to < lineEnd ? "…" : "");
    var pad = from > lineStart ? " " : "";
    for (var k = from; k < pos; k++) pad += isWide(text[k]) ? "  " : (text[k] === "\t" ? "\t" : " ");
    var line = text.slice(0, pos).split("\n").length;
    return { snippet: shown + "\n" + pad + "^", line: line, col: pos - lineStart + 1 };
  }

  function initPrompt(root) {
    var form = $(root, "form");
    var input = $(root, "#wb-prompt-input");
    var digits = $(root, "#wb-prompt-digits");
    var result = $(root, "#wb-prompt-result");
    var status = $(root, "#wb-prompt-status");
    var notesList = $(root, "#wb-prompt-notes");
    var errorBox = $(root, "#wb-prompt-error");
    var copyStatus = $(root, "#wb-prompt-copy-status");
    var outLabel = $(root, "#wb-prompt-result-label");
    var numericOut = $(root, "#wb-prompt-numeric");

    function direction() {
      var r = root.querySelector("input[name=wb-prompt-direction]:checked");
      return r ? r.value : "nai2webui";
    }

    function run() {
      var text = input.value;
      var dir = direction();
      outLabel.textContent = dir === "webui2nai" ? "转换结果（NovelAI 写法）" : "转换结果（WebUI 写法）";
      notesList.textContent = "";
      errorBox.textContent = "";
      errorBox.hidden = true;
      copyStatus.textContent = "";
      if (!text.trim()) {
        result.value = "";
        status.textContent = "在上面粘贴提示词，结果会立即出现在这里。";
        return;
      }
      try {
        var r = convertPrompt(text, dir, Number(digits.value) || 4, numericOut.checked);
        result.value = r.output;
        status.textContent = r.notes.length ? "已转换，请留意下面的说明。" : "已转换。";
        r.notes.forEach(function (n) { notesList.appendChild(el("li", { text: n })); });
      } catch (e) {
        if (!(e instanceof PromptError)) throw e;
        result.value = "";
        var c = caretLines(text, e.pos);
        status.textContent = "无法转换：第 " + (e.pos + 1) + " 个字符（第 " + c.line + " 行第 " + c.col + " 列）有问题。";
        errorBox.appendChild(el("p", { text: "第 " + (e.pos + 1) + " 个字符：" + e.message }));
        errorBox.appendChild(el("pre", { className: "wb-caret" }, [el("code", { text: c.snippet })]));
        errorBox.hidden = false;
      }
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
    form.addEventListener("change", run);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); run(); });
    $(root, "#wb-prompt-copy").addEventListener("click", function () {
      if (result.value) copyText(result.value, copyStatus);
    });
    run();
  }

  /* ------------------------------------------------- 2. 图片信息读取 */

  var WINDOW = 256 * 1024;
  var TEXT_LIMIT = 32 * 1024 * 1024;

  function MetaError(kind, message) {
    this.kind = kind;          // "truncated" | "corrupt" | "format" | "read"
    this.message = message;
  }

  function ByteReader(file) {
    this.file = file;
    this.size = file.size;
    this.start = 0;
    this.buf = null;
  }
  ByteReader.prototype.read = function (pos, len) {
    var self = this;
    if (pos < 0 || pos + len > this.size) return Promise.resolve(null);
    if (this.buf && pos >= this.start && pos + len <= this.start + this.buf.length) {
      return Promise.resolve(this.buf.subarray(pos - this.start, pos - this.start + len));
    }
    if (len > WINDOW) {
      return this.file.slice(pos, pos + len).arrayBuffer().then(function (ab) { return new Uint8Array(ab); });
    }
    var end = Math.min(this.size, pos + WINDOW);
    return this.file.slice(pos, end).arrayBuffer().then(function (ab) {
      self.start = pos;
      self.buf = new Uint8Array(ab);
      if (self.buf.length < len) return null;
      return self.buf.subarray(0, len);
    });
  };

  function u32be(b, o) { return ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3]; }
  function u16be(b, o) { return (b[o] << 8) + b[o + 1]; }
  function ascii(b, o, n) { var s = ""; for (var k = 0; k < n; k++) s += String.fromCharCode(b[o + k]); return s; }

  var CRC_TABLE = (function () {
    var t = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();
  function crc32(parts) {
    var c = 0xffffffff;
    parts.forEach(function (b) {
      for (var k = 0; k < b.length; k++) c = CRC_TABLE[(c ^ b[k]) & 0xff] ^ (c >>> 8);
    });
    return (c ^ 0xffffffff) >>> 0;
  }

  function decodeText(bytes, latin1Fallback) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (e) {
      return new TextDecoder(latin1Fallback ? "latin1" : "utf-8").decode(bytes);
    }
  }

  function inflate(bytes) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("这个浏览器不支持 DecompressionStream，无法解压。"));
    }
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate")).getReader();
    var chunks = [], total = 0;
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) {
          var out = new Uint8Array(total), o = 0;
          chunks.forEach(function (c) { out.set(c, o); o += c.length; });
          return out;
        }
        total += r.value.length;
        if (total > TEXT_LIMIT) {
          reader.cancel();
          throw new Error("解压后超过 32 MB，已停止。");
        }
        chunks.push(r.value);
        return pump();
      });
    }
    return pump();
  }

  // PNG tEXt / zTXt / iTXt → {key, value}
  function parseTextChunk(type, data) {
    var z = data.indexOf(0);
    if (z < 1 || z > 79) return Promise.reject(new MetaError("corrupt", type + " 文本块的关键字无效"));
    var key = decodeText(data.subarray(0, z), true);
    if (type === "tEXt") return Promise.resolve({ key: key, value: decodeText(data.subarray(z + 1), true) });
    if (type === "zTXt") {
      return inflate(data.subarray(z + 2)).then(function (b) { return { key: key, value: decodeText(b, true) }; });
    }
    var flag = data[z + 1];
    var p = z + 3;
    var lang = data.indexOf(0, p);
    if (lang < 0) return Promise.reject(new MetaError("corrupt", "iTXt 文本块结构不完整"));
    var tkey = data.indexOf(0, lang + 1);
    if (tkey < 0) return Promise.reject(new MetaError("corrupt", "iTXt 文本块结构不完整"));
    var body = data.subarray(tkey + 1);
    if (flag === 1) {
      return inflate(body).then(function (b) { return { key: key, value: decodeText(b, false) }; });
    }
    return Promise.resolve({ key: key, value: decodeText(body, false) });
  }

  function decodeUserComment(b) {
    var prefix = ascii(b, 0, Math.min(8, b.length));
    var body = b.subarray(8);
    var text;
    if (prefix === "UNICODE\0") {
      var le;
      if (body[0] === 0xff && body[1] === 0xfe) { le = true; body = body.subarray(2); }
      else if (body[0] === 0xfe && body[1] === 0xff) { le = false; body = body.subarray(2); }
      else {
        var even = 0, odd = 0;
        for (var k = 0; k < Math.min(body.length, 400); k++) if (body[k] === 0) { if (k % 2) odd++; else even++; }
        le = odd > even;
      }
      text = new TextDecoder(le ? "utf-16le" : "utf-16be").decode(body.subarray(0, body.length - (body.length % 2)));
    } else if (prefix === "ASCII\0\0\0" || prefix === "\0\0\0\0\0\0\0\0" || prefix === "JIS\0\0\0\0\0") {
      text = decodeText(body, true);
    } else {
      text = new TextDecoder("utf-8").decode(b);
    }
    return text.replace(/\0+$/, "");
  }

  // TIFF/EXIF block → {userComment, imageDescription, software}
  function parseExif(b) {
    var out = {};
    if (b.length < 8) throw new MetaError("corrupt", "EXIF 数据太短");
    var bo = ascii(b, 0, 2);
    if (bo !== "II" && bo !== "MM") throw new MetaError("corrupt", "EXIF 数据的字节序标记无效");
    var le = bo === "II";
    function u16(o) { if (o + 2 > b.length) throw new MetaError("corrupt", "EXIF 数据越界"); return le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1]; }
    function u32(o) {
      if (o + 4 > b.length) throw new MetaError("corrupt", "EXIF 数据越界");
      return le ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 16777216 : b[o] * 16777216 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
    }
    if (u16(2) !== 42) throw new MetaError("corrupt", "EXIF 数据头无效");
    var SIZES = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };
    function entries(off) {
      var list = {}, n = u16(off);
      for (var k = 0; k < n; k++) {
        var e = off + 2 + k * 12;
        var tag = u16(e), type = u16(e + 2), count = u32(e + 4);
        var size = (SIZES[type] || 1) * count;
        var at = size <= 4 ? e + 8 : u32(e + 8);
        list[tag] = { type: type, count: count, at: at, size: size };
      }
      return list;
    }
    function bytesOf(en) {
      if (en.at + en.size > b.length) throw new MetaError("corrupt", "EXIF 数据越界");
      return b.subarray(en.at, en.at + en.size);
    }
    var ifd0 = entries(u32(4));
    if (ifd0[0x010e]) out.imageDescription = decodeText(bytesOf(ifd0[0x010e]), true).replace(/\0+$/, "");
    if (ifd0[0x0131]) out.software = decodeText(bytesOf(ifd0[0x0131]), true).replace(/\0+$/, "");
    if (ifd0[0x8769]) {
      var ptr = ifd0[0x8769];
      var exifIfd = entries(u32(ptr.at));
      if (exifIfd[0x9286]) out.userComment = decodeUserComment(bytesOf(exifIfd[0x9286]));
    }
    return out;
  }

  function readPng(r, info) {
    var pos = 8, chunks = 0;
    var pending = [];
    function step() {
      return r.read(pos, 8).then(function (h) {
        if (!h) {
          info.truncated = "文件在第 " + pos + " 字节处就结束了，没有 PNG 的结束块（IEND）";
          return;
        }
        var len = u32be(h, 0), type = ascii(h, 4, 4);
        if (!/^[A-Za-z]{4}$/.test(type) || len > 0x7fffffff) {
          throw new MetaError("corrupt", "第 " + pos + " 字节处的 PNG 数据块头无效");
        }
        if (chunks === 0 && type !== "IHDR") throw new MetaError("corrupt", "PNG 的第一个数据块不是 IHDR");
        chunks++;
        if (pos + 12 + len > r.size) {
          info.truncated = "第 " + pos + " 字节处的 " + type + " 数据块声明有 " + len + " 字节，但文件在此之前就结束了";
          return;
        }
        var here = pos;
        pos += 12 + len;
        var wanted = type === "IHDR" || type === "tEXt" || type === "zTXt" || type === "iTXt" || type === "eXIf";
        if (type === "IEND") { info.complete = true; return; }
        if (!wanted) return step();
        if (len > TEXT_LIMIT) {
          info.warnings.push(type + " 数据块超过 32 MB，已跳过。");
          return step();
        }
        return r.read(here + 8, len + 4).then(function (d) {
          var data = d.slice(0, len);
          if (crc32([h.subarray(4, 8), data]) !== u32be(d, len)) {
            info.warnings.push("第 " + here + " 字节处的 " + type + " 数据块校验失败（CRC 不符），文件可能已损坏，下面的内容未必可靠。");
          }
          if (type === "IHDR") {
            if (len < 13) throw new MetaError("corrupt", "IHDR 数据块太短");
            info.width = u32be(data, 0);
            info.height = u32be(data, 4);
          } else if (type === "eXIf") {
            try { info.exif = parseExif(data); } catch (e) { info.warnings.push("eXIf 数据块无法解析：" + e.message + "。"); }
          } else {
            pending.push(parseTextChunk(type, data).then(function (t) {
              info.texts.push(t);
            }, function (e) {
              info.warnings.push(type + " 文本块无法读取：" + e.message);
            }));
          }
          return step();
        });
      });
    }
    return step().then(function () { return Promise.all(pending); });
  }

  function readJpeg(r, info) {
    var pos = 2;
    function step() {
      return r.read(pos, 4).then(function (h) {
        if (!h) {
          info.truncated = "文件在第 " + pos + " 字节处结束，还没读到图像数据";
          return;
        }
        if (h[0] !== 0xff) throw new MetaError("corrupt", "第 " + pos + " 字节处应是 JPEG 标记（0xFF），实际不是");
        var marker = h[1];
        if (marker === 0xff) { pos += 1; return step(); }
        if (marker === 0xd9 || marker === 0xda) { info.scan = true; return; }
        if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { pos += 2; return step(); }
        var len = u16be(h, 2);
        if (len < 2) throw new MetaError("corrupt", "第 " + pos + " 字节处的 JPEG 段长度无效");
        if (pos + 2 + len > r.size) {
          info.truncated = "第 " + pos + " 字节处的 JPEG 段声明有 " + len + " 字节，但文件在此之前就结束了";
          return;
        }
        var here = pos;
        pos += 2 + len;
        if ((marker >= 0xc0 && marker <= 0xc3) && len >= 7) {
          return r.read(here + 4, 5).then(function (d) {
            info.height = u16be(d, 1);
            info.width = u16be(d, 3);
            return step();
          });
        }
        if (marker !== 0xe1 && marker !== 0xfe) return step();
        return r.read(here + 4, len - 2).then(function (d) {
          if (marker === 0xfe) {
            info.texts.push({ key: "JPEG 注释（COM）", value: decodeText(d, true) });
          } else if (ascii(d, 0, 6) === "Exif\0\0") {
            try { info.exif = parseExif(d.subarray(6)); } catch (e) { info.warnings.push("EXIF 无法解析：" + e.message + "。"); }
          }
          return step();
        });
      });
    }
    return step().then(function () {
      if (info.truncated || !info.scan) return;
      return r.read(r.size - 2, 2).then(function (t) {
        if (!t || t[0] !== 0xff || t[1] !== 0xd9) info.truncated = "文件末尾缺少 JPEG 结束标记，图像数据可能不完整";
      });
    });
  }

  function readWebp(r, info) {
    var pos = 12;
    function step() {
      if (pos + 8 > r.size) {
        if (pos < r.size) info.truncated = "文件在第 " + pos + " 字节处结束，最后一个数据块不完整";
        return Promise.resolve();
      }
      return r.read(pos, 8).then(function (h) {
        var type = ascii(h, 0, 4);
        var len = (h[4] | (h[5] << 8) | (h[6] << 16)) + h[7] * 16777216;
        if (!/^[\x20-\x7e]{4}$/.test(type)) throw new MetaError("corrupt", "第 " + pos + " 字节处的 WebP 数据块头无效");
        if (pos + 8 + len > r.size) {
          info.truncated = "第 " + pos + " 字节处的 " + type.trim() + " 数据块声明有 " + len + " 字节，但文件在此之前就结束了";
          return;
        }
        var here = pos;
        pos += 8 + len + (len % 2);
        if (type === "VP8X" && len >= 10) {
          return r.read(here + 8, 10).then(function (d) {
            info.width = 1 + (d[4] | (d[5] << 8) | (d[6] << 16));
            info.height = 1 + (d[7] | (d[8] << 8) | (d[9] << 16));
            return step();
          });
        }
        if (type !== "EXIF" || len > TEXT_LIMIT) return step();
        return r.read(here + 8, len).then(function (d) {
          var tiff = ascii(d, 0, 6) === "Exif\0\0" ? d.subarray(6) : d;
          try { info.exif = parseExif(tiff); } catch (e) { info.warnings.push("EXIF 无法解析：" + e.message + "。"); }
          return step();
        });
      });
    }
    return step();
  }

  function sniff(h) {
    if (h.length >= 8 && u32be(h, 0) === 0x89504e47 && u32be(h, 4) === 0x0d0a1a0a) return "PNG";
    if (h.length >= 3 && h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff) return "JPEG";
    if (h.length >= 12 && ascii(h, 0, 4) === "RIFF" && ascii(h, 8, 4) === "WEBP") return "WebP";
    if (h.length >= 6 && /^GIF8[79]a$/.test(ascii(h, 0, 6))) return "GIF";
    if (h.length >= 2 && ascii(h, 0, 2) === "BM") return "BMP";
    if (h.length >= 12 && ascii(h, 4, 4) === "ftyp") return "AVIF/HEIF";
    if (h.length >= 4 && (ascii(h, 0, 4) === "II*\0" || ascii(h, 0, 4) === "MM\0*")) return "TIFF";
    return null;
  }

  function readImageMeta(file) {
    var r = new ByteReader(file);
    var info = { name: file.name, size: file.size, texts: [], warnings: [] };
    if (!file.size) return Promise.reject(new MetaError("format", "这个文件是空的（0 字节）。"));
    return r.read(0, Math.min(16, file.size)).then(function (h) {
      var fmt = sniff(h);
      info.format = fmt;
      if (fmt === "PNG") return readPng(r, info);
      if (fmt === "JPEG") return readJpeg(r, info);
      if (fmt === "WebP") return readWebp(r, info);
      if (fmt) {
        throw new MetaError("format", "这是一张 " + fmt + " 图片。本工具只读取 PNG、JPEG 和 WebP 里的生成参数，" +
          "WebUI 系前端、ComfyUI 和 NovelAI 默认保存的也正是这几种格式。");
      }
      if (/\.(png|jpe?g|webp)$/i.test(file.name)) {
        throw new MetaError("corrupt", "文件名是图片，但开头的字节不符合 PNG、JPEG 或 WebP 格式。");
      }
      throw new MetaError("format", "这不是 PNG、JPEG 或 WebP 图片，无法读取生成参数。");
    }).then(function () { return info; });
  }

  // A1111 modules/infotext_utils.py parse_generation_parameters (re_param, unquote)
  var RE_PARAM = /\s*([\p{L}\p{N}_][\p{L}\p{N}_ \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/gu;

  function paramPairs(line) {
    var out = [], m;
    RE_PARAM.lastIndex = 0;
    while ((m = RE_PARAM.exec(line)) !== null) {
      var v = m[2];
      if (v.length > 1 && v[0] === '"' && v[v.length - 1] === '"') {
        try { v = JSON.parse(v); } catch (e) { /* keep as written */ }
      }
      out.push([m[1], v]);
      if (m.index === RE_PARAM.lastIndex) RE_PARAM.lastIndex++;
    }
    return out;
  }

  function parseInfotext(x) {
    var lines = x.trim().replace(/\r\n?/g, "\n").split("\n");
    var last = lines.pop();
    var params = paramPairs(last);
    if (params.length < 3) {
      lines.push(last);
      params = [];
    }
    var prompt = "", negative = "", neg = false;
    lines.forEach(function (line) {
      line = line.trim();
      if (line.indexOf("Negative prompt:") === 0) {
        neg = true;
        line = line.slice(16).trim();
      }
      if (neg) negative += (negative === "" ? "" : "\n") + line;
      else prompt += (prompt === "" ? "" : "\n") + line;
    });
    return { prompt: prompt, negative: negative, params: params };
  }

  function tryJson(s) {
    if (typeof s !== "string") return null;
    var t = s.trim();
    if (t[0] !== "{" && t[0] !== "[") return null;
    try { return JSON.parse(t); } catch (e) { return null; }
  }

  function describe(info) {
    var found = [];
    var texts = {};
    info.texts.forEach(function (t) { if (!(t.key in texts)) texts[t.key] = t.value; });
    var used = {};
    if (typeof texts.parameters === "string" && texts.parameters.trim()) {
      found.push({ kind: "a1111", source: "PNG 文本块 parameters", raw: texts.parameters, parsed: parseInfotext(texts.parameters) });
      used.parameters = true;
    }
    if (info.exif && info.exif.userComment && info.exif.userComment.trim()) {
      var uc = info.exif.userComment;
      found.push({ kind: "a1111", source: "EXIF UserComment", raw: uc, parsed: parseInfotext(uc) });
    }
    var comment = tryJson(texts.Comment);
    if (comment && typeof comment === "object" && (texts.Software === "NovelAI" || "uc" in comment || "prompt" in comment)) {
      found.push({ kind: "novelai", comment: comment, raw: texts.Comment, extra: texts });
      ["Comment", "Description", "Software", "Source", "Generation time", "Title"].forEach(function (k) { used[k] = true; });
    }
    var apiPrompt = tryJson(texts.prompt), workflow = tryJson(texts.workflow);
    if ((apiPrompt && typeof apiPrompt === "object") || (workflow && typeof workflow === "object")) {
      found.push({ kind: "comfyui", prompt: apiPrompt, workflow: workflow, rawPrompt: texts.prompt, rawWorkflow: texts.workflow });
      used.prompt = used.workflow = true;
    }
    var others = info.texts.filter(function (t) { return !used[t.key]; });
    return { found: found, others: others };
  }

  function comfyTexts(prompt, workflow) {
    var out = [];
    var TEXT_NODE = /CLIPTextEncode|TextEncode|PromptEncode|Prompt/i;
    if (prompt && typeof prompt === "object" && !Array.isArray(prompt)) {
      Object.keys(prompt).forEach(function (id) {
        var n = prompt[id];
        if (!n || typeof n !== "object" || !TEXT_NODE.test(n.class_type || "")) return;
        var inputs = n.inputs || {};
        Object.keys(inputs).forEach(function (k) {
          if (typeof inputs[k] === "string" && /^(text|text_g|text_l|clip_l|t5xxl|prompt|positive|negative)/i.test(k)) {
            out.push({ label: "#" + id + " " + n.class_type + (k === "text" ? "" : "（" + k + "）"), text: inputs[k] });
          }
        });
      });
    } else if (workflow && Array.isArray(workflow.nodes)) {
      workflow.nodes.forEach(function (n) {
        if (!n || !TEXT_NODE.test(n.type || "")) return;
        (n.widgets_values || []).forEach(function (v) {
          if (typeof v === "string" && v.trim()) out.push({ label: "#" + n.id + " " + n.type, text: v });
        });
      });
    }
    return out;
  }

  function humanSize(n) {
    if (n >= 1024 * 1024) return fmtNumber(n / 1024 / 1024, 1) + " MB";
    if (n >= 1024) return fmtNumber(n / 1024, 1) + " KB";
    return n + " 字节";
  }

  function paramTable(rows, caption) {
    var tbody = el("tbody");
    rows.forEach(function (r) {
      tbody.appendChild(el("tr", null, [el("th", { scope: "row", text: r[0] }), el("td", null, [el("code", { text: String(r[1]) })])]));
    });
    return el("table", { className: "wb-params" }, [
      el("caption", { text: caption }),
      el("thead", null, [el("tr", null, [el("th", { scope: "col", text: "参数" }), el("th", { scope: "col", text: "值" })])]),
      tbody
    ]);
  }

  function textBlock(title, text, cls) {
    return el("div", { className: "wb-block " + (cls || "") }, [
      el("p", { className: "wb-block-title", text: title }),
      el("pre", { className: "wb-text" }, [el("code", { text: text || "（空）" })])
    ]);
  }

  function renderMeta(out, info, copyStatus) {
    var d = describe(info);
    var frag = document.createDocumentFragment();
    var dims = info.width && info.height ? " · " + info.width + "×" + info.height : "";
    frag.appendChild(el("p", { className: "wb-fileinfo", text: info.name + " · " + info.format + dims + " · " + humanSize(info.size) }));
    if (info.truncated) {
      frag.appendChild(el("p", { className: "wb-error", role: "alert", "data-kind": "truncated", text: "文件不完整：" + info.truncated + "。它可能没有下载或复制完整，请找原文件再试。" }));
    }
    info.warnings.forEach(function (w) { frag.appendChild(el("p", { className: "wb-warning", text: w })); });

    d.found.forEach(function (f) {
      var sec = el("section", { className: "wb-meta wb-meta-" + f.kind });
      if (f.kind === "a1111") {
        sec.appendChild(el("h3", { className: "wb-meta-title", text: "WebUI 生成参数（来自 " + f.source + "）" }));
        sec.appendChild(textBlock("提示词", f.parsed.prompt, "wb-prompt"));
        sec.appendChild(textBlock("负面提示词", f.parsed.negative, "wb-negative"));
        if (f.parsed.params.length) sec.appendChild(paramTable(f.parsed.params, "其他参数（共 " + f.parsed.params.length + " 项）"));
        sec.appendChild(el("p", { className: "wb-actions" }, [
          copyButton("复制提示词", function () { return f.parsed.prompt; }, copyStatus),
          copyButton("复制负面提示词", function () { return f.parsed.negative; }, copyStatus),
          copyButton("复制全部参数", function () { return f.raw; }, copyStatus)
        ]));
      } else if (f.kind === "novelai") {
        var c = f.comment;
        var prompt = typeof c.prompt === "string" ? c.prompt : (f.extra.Description || "");
        var negative = typeof c.uc === "string" ? c.uc : "";
        sec.appendChild(el("h3", { className: "wb-meta-title", text: "NovelAI 生成参数" }));
        sec.appendChild(textBlock("提示词（prompt）", prompt, "wb-prompt"));
        sec.appendChild(textBlock("负面提示词（uc）", negative, "wb-negative"));
        var order = ["steps", "scale", "seed", "sampler", "width", "height"];
        var keys = order.filter(function (k) { return k in c; }).concat(Object.keys(c).filter(function (k) {
          return order.indexOf(k) < 0 && k !== "prompt" && k !== "uc";
        }));
        var rows = keys.map(function (k) {
          var v = c[k];
          return [k, v !== null && typeof v === "object" ? JSON.stringify(v) : String(v)];
        });
        ["Software", "Source", "Generation time", "Title"].forEach(function (k) {
          if (f.extra[k] !== undefined) rows.push([k, f.extra[k]]);
        });
        if (f.extra.Description !== undefined && f.extra.Description !== prompt) rows.push(["Description", f.extra.Description]);
        sec.appendChild(paramTable(rows, "Comment 里的其他字段（共 " + rows.length + " 项）"));
        sec.appendChild(el("p", { className: "wb-actions" }, [
          copyButton("复制提示词", function () { return prompt; }, copyStatus),
          copyButton("复制负面提示词", function () { return negative; }, copyStatus),
          copyButton("复制全部参数", function () { return JSON.stringify(c, null, 2); }, copyStatus)
        ]));
      } else {
        var nodes = f.workflow && Array.isArray(f.workflow.nodes) ? f.workflow.nodes.length :
          (f.prompt && typeof f.prompt === "object" ? Object.keys(f.prompt).length : 0);
        sec.appendChild(el("h3", { className: "wb-meta-title", text: "ComfyUI 工作流" }));
        sec.appendChild(el("p", { className: "wb-comfy-summary", text: "这张图保存了一个 ComfyUI 工作流，共 " + nodes + " 个节点。" +
          "把图片直接拖进 ComfyUI 的窗口，就能载入整个工作流。" }));
        comfyTexts(f.prompt, f.workflow).forEach(function (t) {
          sec.appendChild(textBlock(t.label, t.text, "wb-comfy-text"));
        });
        var actions = el("p", { className: "wb-actions" });
        if (f.rawWorkflow) actions.appendChild(copyButton("复制工作流 JSON（workflow）", function () { return f.rawWorkflow; }, copyStatus));
        if (f.rawPrompt) actions.appendChild(copyButton("复制 API 格式 JSON（prompt）", function () { return f.rawPrompt; }, copyStatus));
        sec.appendChild(actions);
      }
      frag.appendChild(sec);
    });

    if (d.others.length) {
      var rows2 = d.others.map(function (t) {
        return [t.key, t.value.length > 4000 ? t.value.slice(0, 4000) + "…（共 " + t.value.length + " 个字符，已截断显示）" : t.value];
      });
      frag.appendChild(paramTable(rows2, "其他文本信息"));
    }
    if (!d.found.length && !info.truncated) {
      frag.appendChild(el("p", { className: "wb-error", role: "alert", "data-kind": "none", text: "没有在这张图片里找到生成参数。" +
        "常见原因：图片经过聊天软件或网站压缩、被截图或另存为其他格式，或者生成时关闭了“保存生成参数”。" +
        "请尽量拿到最初保存的原文件。" }));
    } else if (!d.found.length) {
      frag.appendChild(el("p", { className: "wb-error", role: "alert", "data-kind": "none", text: "在文件完整的部分里没有找到生成参数。" }));
    }
    out.textContent = "";
    out.appendChild(frag);
    var summary = d.found.map(function (f) { return { a1111: "WebUI 生成参数", novelai: "NovelAI 生成参数", comfyui: "ComfyUI 工作流" }[f.kind]; });
    return summary.length ? "读取完成：找到 " + summary.join("、") + "。" : (info.truncated ? "文件不完整。" : "没有找到生成参数。");
  }

  function initPngInfo(root) {
    var input = $(root, "#wb-image-input");
    var drop = $(root, ".wb-drop");
    var out = $(root, "#wb-image-result");
    var status = $(root, "#wb-image-status");
    var copyStatus = $(root, "#wb-image-copy-status");
    var token = 0;

    function handle(file) {
      if (!file) return;
      var mine = ++token;
      status.textContent = "正在读取 " + file.name + "……";
      out.textContent = "";
      copyStatus.textContent = "";
      root.setAttribute("aria-busy", "true");
      readImageMeta(file).then(function (info) {
        if (mine !== token) return;
        status.textContent = renderMeta(out, info, copyStatus);
      }, function (e) {
        if (mine !== token) return;
        var msg;
        if (e instanceof MetaError) {
          msg = e.kind === "corrupt" ? "文件已损坏：" + e.message + "。" :
            e.kind === "truncated" ? "文件不完整：" + e.message + "。" : e.message;
        } else {
          msg = "无法读取这个文件：" + (e && e.message ? e.message : String(e));
        }
        out.textContent = "";
        out.appendChild(el("p", { className: "wb-error", role: "alert", "data-kind": e.kind || "read", text: msg }));
        status.textContent = "读取失败。";
      }).then(function () {
        if (mine === token) root.removeAttribute("aria-busy");
      });
    }

    input.addEventListener("change", function () { handle(input.files && input.files[0]); });
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (ev) { ev.preventDefault(); drop.classList.add("wb-drop-active"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove("wb-drop-active"); });
    });
    drop.addEventListener("drop", function (ev) {
      ev.preventDefault();
      var f = ev.dataTransfer && ev.dataTransfer.files && ev.dataTransfer.files[0];
      handle(f);
    });
  }

  /* ------------------------------------------------- 3. 分辨率计算 */

  var FAMILIES = { sd15: 512, sdxl: 1024, flux: 1024 };
  // The roughly one-megapixel sizes the NoobAI-XL model card lists for SDXL-based models.
  var SDXL_SIZES = [[768, 1344], [832, 1216], [896, 1152], [1024, 1024], [1152, 896], [1216, 832], [1344, 768]];

  function nearestListed(ratio) {
    var best = null;
    SDXL_SIZES.forEach(function (wh) {
      var cost = Math.abs(Math.log(wh[0] / wh[1] / ratio));
      if (!best || cost < best.cost - 1e-12) best = { w: wh[0], h: wh[1], cost: cost };
    });
    return best;
  }

  function bestSize(budget, ratio, step) {
    var idealW = Math.sqrt(budget * ratio), idealH = Math.sqrt(budget / ratio);
    function around(x) {
      var lo = Math.max(step, Math.floor(x / step) * step);
      return lo >= x ? [lo] : [lo, lo + step];
    }
    var best = null;
    around(idealW).forEach(function (w) {
      around(idealH).forEach(function (h) {
        var cost = Math.abs(Math.log(w / h / ratio)) + Math.abs(Math.log(w * h / budget));
        if (!best || cost < best.cost - 1e-12) best = { w: w, h: h, cost: cost };
      });
    });
    return best;
  }

  // A1111: hr_upscale_to = int(size × scale); the latent is that // 8, so the image is a multiple of 8.
  function hiresSize(w, h, scale) {
    var tw = Math.floor(w * scale + 1e-9), th = Math.floor(h * scale + 1e-9);
    return { tw: tw, th: th, w: Math.floor(tw / 8) * 8, h: Math.floor(th / 8) * 8 };
  }

  function initResolution(root) {
    var form = $(root, "form");
    var family = $(root, "#wb-res-family");
    var side = $(root, "#wb-res-side");
    var ratio = $(root, "#wb-res-ratio");
    var rw = $(root, "#wb-res-ratio-w");
    var rh = $(root, "#wb-res-ratio-h");
    var scale = $(root, "#wb-res-scale");
    var out = $(root, "#wb-res-result");
    var status = $(root, "#wb-res-status");
    var customSide = $(root, ".wb-res-custom-side");
    var customRatio = $(root, ".wb-res-custom-ratio");

    function run() {
      customSide.hidden = family.value !== "custom";
      customRatio.hidden = ratio.value !== "custom";
      var base = family.value === "custom" ? Number(side.value) : FAMILIES[family.value];
      var a, b;
      if (ratio.value === "custom") { a = Number(rw.value); b = Number(rh.value); }
      else { var p = ratio.value.split(":"); a = Number(p[0]); b = Number(p[1]); }
      var s = Number(scale.value);
      out.textContent = "";
      var problems = [];
      if (!(base >= 64 && base <= 8192)) problems.push("基准边长请填 64 到 8192 之间的数字");
      if (!(a > 0 && b > 0 && a / b <= 16 && b / a <= 16)) problems.push("宽高比请填两个正数，且长边不超过短边的 16 倍");
      if (!(s >= 1 && s <= 8)) problems.push("放大倍数请填 1 到 8 之间的数字");
      if (problems.length) {
        status.textContent = "无法计算：" + problems.join("；") + "。";
        return;
      }
      var budget = base * base;
      var r = a / b;
      var s64 = bestSize(budget, r, 64), s8 = bestSize(budget, r, 8);
      var hr = hiresSize(s64.w, s64.h, s);
      function pct(w, h) { return Math.round(w * h / budget * 100) + "%"; }
      var rows = [
        ["推荐尺寸（64 的倍数）", s64.w + "×" + s64.h, "实际比例 " + fmtNumber(s64.w / s64.h, 3) + "，像素数为预算的 " + pct(s64.w, s64.h)],
        ["更贴近比例（8 的倍数）", s8.w + "×" + s8.h, "实际比例 " + fmtNumber(s8.w / s8.h, 3) + "，像素数为预算的 " + pct(s8.w, s8.h)],
        ["高清修复 ×" + fmtNumber(s, 2), hr.w + "×" + hr.h,
          hr.w === hr.tw && hr.h === hr.th ? "由推荐尺寸放大，正好是 8 的倍数" :
            "A1111 先算出 " + hr.tw + "×" + hr.th + "，出图时宽高各自向下取到 8 的倍数"]
      ];
      if (family.value === "sdxl") {
        var listed = nearestListed(r);
        rows.push(["模型卡常用尺寸", listed.w + "×" + listed.h,
          "NoobAI-XL 模型卡列出的约 100 万像素尺寸中比例最接近的一个，SDXL 系模型大多在这些尺寸上训练"]);
      }
      var tbody = el("tbody");
      rows.forEach(function (row) {
        tbody.appendChild(el("tr", null, [el("th", { scope: "row", text: row[0] }), el("td", null, [el("code", { className: "wb-size", text: row[1] })]), el("td", { text: row[2] })]));
      });
      out.appendChild(el("table", { className: "wb-params" }, [
        el("caption", { text: "像素预算 " + base + "×" + base + "，宽高比 " + fmtNumber(a, 3) + ":" + fmtNumber(b, 3) }),
        el("thead", null, [el("tr", null, [el("th", { scope: "col", text: "项目" }), el("th", { scope: "col", text: "宽×高" }), el("th", { scope: "col", text: "说明" })])]),
        tbody
      ]));
      status.textContent = "推荐 " + s64.w + "×" + s64.h + "，高清修复后 " + hr.w + "×" + hr.h + "。";
    }
    form.addEventListener("input", run);
    form.addEventListener("change", run);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    run();
  }

  /* ------------------------------------------------------------------ 启动 */

  var TOOLS = { prompt: initPrompt, pnginfo: initPngInfo, resolution: initResolution };

  function init() {
    var roots = document.querySelectorAll("[data-wb-tool]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.getAttribute("data-wb-ready")) return;
      var fn = TOOLS[root.getAttribute("data-wb-tool")];
      if (!fn) return;
      root.setAttribute("data-wb-ready", "1");
      fn(root);
      var nojs = root.querySelector(".wb-nojs");
      if (nojs) nojs.hidden = true;
    });
  }

  window.AiDrawWorkbench = {
    init: init,
    convertPrompt: convertPrompt,
    parseInfotext: parseInfotext,
    bestSize: bestSize,
    hiresSize: hiresSize
  };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { init(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  }
  init();
})();
