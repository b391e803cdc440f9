"""Write the search index as UTF-8 instead of \\uXXXX escapes.

Material's search plugin writes search/search_index.json with json.dumps' default ensure_ascii, so every
Chinese character (and every U+200B word break jieba adds) takes six bytes. Readers download the index on
their first page view, so this hook rewrites it after the plugin, with the same content, as plain UTF-8:
roughly half the raw size.
"""
import json
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(-100)  # after Material's search plugin has written the file
def on_post_build(config):
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
