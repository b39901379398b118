"""Every CallbackData field is bounded and typed, and every button the code builds fits its type.

The second part reads the source: every ``XxxCB(field="literal", …)`` call, every
``XxxCB.filter(F.field == "literal")`` and every outbox button ``{"cb": prefix, "args": {…}}``
with literal values is checked against the factory, so a new action that was not added to its
Enum fails here instead of at the first press.
"""

from __future__ import annotations

import ast
import enum
import typing
from pathlib import Path
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData

import bot.handlers  # noqa: F401  (imports every factory)
from bot.domain.ids import MAX_ID
from bot.keyboards.registry import callback_class

ROOT = Path(__file__).resolve().parents[2] / "bot"


def _factories() -> dict[str, type[CallbackData]]:
    found: dict[str, type[CallbackData]] = {}
    todo = list(CallbackData.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found[f"{cls.__module__}.{cls.__name__}"] = cls
    return found


FACTORIES = _factories()
BY_NAME: dict[str, list[type[CallbackData]]] = {}
for _cls in FACTORIES.values():
    BY_NAME.setdefault(_cls.__name__, []).append(_cls)


def _bounded(annotation: Any, metadata: list[Any]) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum | bool):
        return True
    if annotation is int:
        lows = [getattr(m, "ge", None) for m in metadata]
        highs = [getattr(m, "le", None) for m in metadata]
        return any(x is not None for x in lows) and any(x is not None for x in highs)
    if annotation is str:
        return any(getattr(m, "max_length", None) or getattr(m, "pattern", None) for m in metadata)
    return False


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_field_is_bounded(name: str) -> None:
    cls = FACTORIES[name]
    for field_name, info in cls.model_fields.items():
        assert _bounded(info.annotation, info.metadata), f"{name}.{field_name} is unbounded"
        if info.annotation is int:
            highs = [getattr(m, "le", None) for m in info.metadata]
            assert max(h for h in highs if h is not None) <= MAX_ID


def test_ids_outside_the_range_do_not_parse() -> None:
    from bot.keyboards.participant import MyAppCB

    assert MyAppCB.unpack("myapp:view:7").app_id == 7
    for bad in ("0", "-1", str(2**31), str(2**63), "1_0", " 1", "1.0", "", "x", "٣"):
        with pytest.raises((TypeError, ValueError)):
            MyAppCB.unpack(f"myapp:view:{bad}")
    for bad in ("myapp:x:1", "myapp:view", "myapp:view:1:2", "myapp::1"):
        with pytest.raises((TypeError, ValueError)):
            MyAppCB.unpack(bad)


# --- the source agrees with the factories ---------------------------------------------------


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ...


def _calls() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = f"{path.relative_to(ROOT.parent)}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in BY_NAME:
                    kwargs = {k.arg: _literal(k.value) for k in node.keywords if k.arg}
                    found.append((f"{where}:{node.lineno}", node.func.id, kwargs))
            if isinstance(node, ast.Dict):
                keys = [_literal(k) if k else None for k in node.keys]
                if "cb" in keys and "args" in keys:
                    prefix = _literal(node.values[keys.index("cb")])
                    args = node.values[keys.index("args")]
                    if isinstance(prefix, str) and isinstance(args, ast.Dict):
                        pairs = zip(args.keys, args.values, strict=True)
                        kwargs = {_literal(k): _literal(v) for k, v in pairs if k}
                        found.append((f"{where}:{node.lineno}", f"prefix:{prefix}", kwargs))
    return found


def _filters() -> list[tuple[str, str, str, list[Any]]]:
    found = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = f"{path.relative_to(ROOT.parent)}"
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "filter"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in BY_NAME
                and node.args
            ):
                continue
            arg = node.args[0]
            field, values = None, []
            if isinstance(arg, ast.Compare) and isinstance(arg.left, ast.Attribute):
                field, values = arg.left.attr, [_literal(c) for c in arg.comparators]
            elif (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "in_"
                and isinstance(arg.func.value, ast.Attribute)
            ):
                field = arg.func.value.attr
                literal = _literal(arg.args[0])
                values = list(literal) if isinstance(literal, set | list | tuple) else []
            if field:
                found.append((f"{where}:{node.lineno}", node.func.value.id, field, values))
    return found


def _check(cls: type[CallbackData], field: str, value: Any) -> None:
    info = cls.model_fields[field]
    annotation = info.annotation
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        assert value in {m.value for m in annotation}, f"{value!r} is not a {annotation.__name__}"


def test_every_literal_button_fits_its_factory() -> None:
    calls = _calls()
    assert len(calls) > 100
    for where, name, kwargs in calls:
        classes = (
            [callback_class(name.split(":", 1)[1])]
            if name.startswith("prefix:")
            else BY_NAME[name]
        )
        classes = [c for c in classes if set(kwargs) <= set(c.model_fields)]
        assert classes, f"{where}: no {name} has the fields {sorted(kwargs)}"
        for cls in classes:
            for field, value in kwargs.items():
                if value is not ...:
                    _check(cls, field, value)
            if all(v is not ... for v in kwargs.values()):
                cls(**kwargs).pack()  # ≤ 64 bytes, every value valid


def _accepts(cls: type[CallbackData], field: str, value: Any) -> bool:
    try:
        _check(cls, field, value)
    except AssertionError:
        return False
    return True


def test_every_filter_literal_can_match() -> None:
    filters = _filters()
    assert len(filters) > 50
    for where, name, field, values in filters:
        classes = [c for c in BY_NAME[name] if field in c.model_fields]
        assert classes, f"{where}: no {name} has the field {field}"
        for value in values:
            if value is not ... and not isinstance(value, int):
                ok = any(_accepts(c, field, value) for c in classes)
                assert ok, f"{where}: {value!r} can never match {name}.{field}"


def test_enum_hints_resolve() -> None:
    for cls in FACTORIES.values():
        typing.get_type_hints(cls)
