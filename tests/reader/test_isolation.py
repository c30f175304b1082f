"""The reader knows the book only through the public API: it imports nothing of the CMS's rooms."""

import ast
from pathlib import Path

READER = Path(__file__).resolve().parents[2] / "reader"
ROOMS = {"cms", "book", "api", "editions"}


def dynamic_import(call):
    """``import_module("x")`` or ``__import__("x")`` with a literal name."""
    name = getattr(call.func, "attr", getattr(call.func, "id", ""))
    return (
        name in {"import_module", "__import__"}
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    )


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Call) and dynamic_import(node):
            yield node.args[0].value


def rooms_imported(path):
    return sorted({name for name in imported_modules(path) if name.split(".")[0] in ROOMS})


def test_the_reader_imports_nothing_from_the_cms_book_api_or_editions():
    sources = sorted(READER.rglob("*.py"))
    assert len(sources) >= 5, "the reader's sources were not found"
    offending = {str(path.relative_to(READER)): rooms_imported(path) for path in sources}
    assert {path: rooms for path, rooms in offending.items() if rooms} == {}


def test_the_check_sees_an_import_of_a_room(tmp_path):
    for line in ("from book.models import BookPage", "import api.views", "import_module('cms.settings')"):
        source = tmp_path / "module.py"
        source.write_text(f"from importlib import import_module\n{line}\n")
        assert rooms_imported(source), line


def test_the_reader_settings_and_templates_name_no_room_of_the_cms():
    settings = (READER / "settings.py").read_text(encoding="utf-8")
    for room in ROOMS:
        assert f'"{room}' not in settings and f"'{room}" not in settings
