"""`toolkit models download|list`: the models a brief needs (the
translation model, the embedder, the spaCy pipeline of the fact layer),
fetched once while online so that every later run works offline."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.text import Text

from .. import config
from ..errors import ModelUnavailable, ToolkitError
from . import main
from .common import dumps_json, emit, format_option, stdout_console, warn

TRANSLATION, EMBEDDER, NLP = "translation", "embedder", "nlp"


def needed(model: str | None = None, embedder: str | None = None, nlp_model: str | None = None
           ) -> list[tuple[str, str]]:
    """(kind, name) of each model a brief needs, as the settings name them."""
    from ..facts.nlp import model_name

    return [(TRANSLATION, str(config.get("model", model))), (EMBEDDER, str(config.get("embedder", embedder))),
            (NLP, model_name(nlp_model))]


@main.group()
def models() -> None:
    """Download and list the models a brief needs."""


@models.command("download")
@click.argument("names", nargs=-1)
@click.option("--embedder", default=None, metavar="ID|DIR", help="Fetch this embedding model.")
@click.option("--nlp-model", default=None, metavar="NAME|DIR", help="Fetch this spaCy pipeline.")
def models_download(names: tuple[str, ...], embedder: str | None, nlp_model: str | None) -> None:
    """Fetch, while online, every model a brief needs: the translation
    model (setting model, default best) and the embedder (setting embedder)
    into the Hugging Face cache, and the spaCy pipeline (setting nlp_model)
    the spaCy way. Given NAMES (translation presets or Hugging Face ids),
    --embedder or --nlp-model, only those are fetched.
    """
    if names or embedder or nlp_model:
        jobs = [(TRANSLATION, n) for n in names]
        jobs += [(EMBEDDER, embedder)] if embedder else []
        jobs += [(NLP, nlp_model)] if nlp_model else []
    else:
        jobs = needed()
    failed: list[str] = []
    for kind, name in jobs:
        try:
            click.echo(_fetch(kind, name))
        except ToolkitError as exc:
            if len(jobs) == 1:
                raise
            warn(f"{kind} {name} not fetched: {exc}")
            failed.append(f"{kind} {name}")
    if failed:
        raise ModelUnavailable(f"{len(failed)} of {len(jobs)} model(s) not fetched (see the warnings above): "
                               f"{', '.join(failed)}")


def _fetch(kind: str, name: str) -> str:
    """Fetch one model; the line that says what is now here."""
    if kind == TRANSLATION:
        from ..translate.models import download, resolve

        ref = resolve(name, download=False) if _is_dir(name) else download([name])[0]
        return f"{kind}: {ref.model_id} @ {ref.revision[:12]}: {ref.path}"
    if kind == EMBEDDER:
        from ..embed.locate import fetch

        revision, path = fetch(name)
        return f"{kind}: {name} @ {revision[:12]}: {path}"
    from ..facts import nlp

    nlp.download(name)
    info = nlp.status(name)
    return f"{kind}: {name} {info['version']}".rstrip() + f": installed ({_size(info['bytes'])})"


def _is_dir(name: str) -> bool:
    return name.startswith((".", "/", "~")) or Path(name).expanduser().is_dir()


def _size(size: int) -> str:
    return f"{size / 1e6:,.1f} MB" if size else "-"


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _hub_kind(path: str) -> str:
    return EMBEDDER if (Path(path) / "modules.json").is_file() else TRANSLATION


def _row(kind: str, model: str, needed: bool, present: bool, size: int = 0, revision: str = "", path: str = "",
         preset: str = "", ctranslate2: list[str] | None = None) -> dict[str, Any]:
    """One model as `models list` shows it (the same keys for every kind)."""
    return {"kind": kind, "model": model, "needed": needed, "present": present, "size": size,
            "revision": revision, "path": path, "preset": preset, "ctranslate2": ctranslate2 or []}


def _cached_row(kind: str, hit: dict[str, Any], needed: bool) -> dict[str, Any]:
    return _row(kind, hit["model"], needed, True, hit["size"], hit["revision"], hit["path"], hit["preset"],
                hit["ctranslate2"])


def model_rows() -> list[dict[str, Any]]:
    """Every model a brief needs, here or not, then the other models in the
    Hugging Face cache: kind, name, size, whether it is here."""
    from ..facts.nlp import status
    from ..translate import PRESETS
    from ..translate.models import list_models

    cached = list_models()
    rows: list[dict[str, Any]] = []
    for kind, name in needed():
        if kind == NLP:
            info = status(name)
            rows.append(_row(kind, name, True, info["present"], info["bytes"], info["version"]))
            continue
        if _is_dir(name):
            path = Path(name).expanduser()
            here = path.is_dir()
            rows.append(_row(kind, name, True, here, _dir_size(path) if here else 0, "local" if here else "",
                             str(path) if here else ""))
            continue
        preset = PRESETS.get(name.partition("@")[0]) if kind == TRANSLATION else None
        model_id = preset.model_id if preset else name.partition("@")[0]
        hit = next((r for r in cached if r["model"] == model_id), None)
        rows.append(_cached_row(kind, hit, True) if hit else
                    _row(kind, model_id, True, False, preset=preset.name if preset else ""))
    shown = {r["model"] for r in rows}
    rows += [_cached_row(_hub_kind(r["path"]), r, False) for r in cached if r["model"] not in shown]
    return rows


@models.command("list")
@format_option(("rich", "json"))
def models_list(fmt: str) -> None:
    """The models a brief needs (translation, embedder, spaCy pipeline)
    with their kind, size and whether they are here, then the other models
    in the Hugging Face cache and the presets not downloaded yet."""
    from ..hub import hub_cache
    from ..translate import PRESETS

    rows = model_rows()
    cached = {r["model"] for r in rows if r["present"]}
    absent = [{"preset": p.name, "model": p.model_id} for p in PRESETS.values() if p.model_id not in cached]
    missing = [r for r in rows if r["needed"] and not r["present"]]
    if fmt == "json":
        emit(dumps_json({"cache": str(hub_cache()), "models": rows, "presets_missing": absent,
                         "ready": not missing}))
        return
    from rich.table import Table

    table = Table(title=Text(f"Hugging Face cache: {hub_cache()}"))
    ct2 = any(r["ctranslate2"] for r in rows)  # a column only where a conversion was made
    table.add_column("Kind", no_wrap=True)
    table.add_column("Model", overflow="fold", ratio=1, min_width=24)
    for col in ("Needed", "Here", "Size", "Revision") + (("CTranslate2",) if ct2 else ()):
        table.add_column(col, no_wrap=True)
    for r in rows:
        cells = [r["kind"], Text(r["model"]), "yes" if r["needed"] else "", "yes" if r["present"] else "no",
                 _size(r["size"]), Text(r["revision"][:8])]
        table.add_row(*cells, *([", ".join(r["ctranslate2"]) or "-"] if ct2 else []))
    console = stdout_console()
    console.print(table)
    if missing:
        console.print(Text(f"{len(missing)} model(s) a brief needs are missing: run `toolkit models download` "
                           "while online"))
    for a in absent:
        if a["model"] in {r["model"] for r in missing}:
            continue  # said just above
        console.print(Text(f"preset {a['preset']} ({a['model']}) not downloaded: "
                           f"toolkit models download {a['preset']}"))
