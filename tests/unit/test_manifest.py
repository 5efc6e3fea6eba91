"""Manifest: the plugin deletes only files it recorded, and folders it created once empty."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs_infotheory.manifest import (
    MANIFEST_NAME,
    Manifest,
    check_contents,
    location_problem,
)


def write(manifest: Manifest, name: str, text: str = "x") -> Path:
    path = manifest.folder / name
    manifest.record(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    assert manifest.save() is None
    return path


def test_only_recorded_files_and_created_folders_are_deleted(tmp_path: Path) -> None:
    (tmp_path / "theirs").mkdir()
    manifest = Manifest(tmp_path)
    mine = write(manifest, "deep/er/mine.json")
    kept = write(manifest, "theirs/kept.json")
    stranger = tmp_path / "deep" / "stranger.json"
    stranger.write_text("not ours")
    removed = Manifest(tmp_path).remove(["deep/er/mine.json", "deep/stranger.json"])
    assert removed == ["deep/er/mine.json"]
    assert not mine.exists() and not (tmp_path / "deep" / "er").exists()
    assert stranger.exists() and (tmp_path / "deep").is_dir(), "not empty: kept"
    assert kept.exists()
    Manifest(tmp_path).remove(["theirs/kept.json"])
    assert (tmp_path / "theirs").is_dir(), "a folder the plugin did not create stays"


def test_links_and_paths_out_of_the_folder_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "precious.json"
    target.write_text("keep")
    folder = tmp_path / "folder"
    manifest = Manifest(folder)
    link = write(manifest, "link.json")
    link.unlink()
    link.symlink_to(target)
    write(manifest, "sub/page.json")
    (folder / "sub" / "page.json").unlink()
    (folder / "sub").rmdir()
    (folder / "sub").symlink_to(outside)  # the folder itself replaced by a link out
    (outside / "page.json").write_text("keep too")
    data = json.loads(manifest.path.read_text())
    data["files"] += ["../outside/precious.json", str(target)]
    manifest.path.write_text(json.dumps(data))
    again = Manifest(folder)
    assert again.remove([*data["files"]]) == []
    assert target.read_text() == "keep" and (outside / "page.json").read_text() == "keep too"
    assert link.is_symlink()


def test_claims_keep_a_file_another_configuration_uses(tmp_path: Path) -> None:
    a, b = Manifest(tmp_path), Manifest(tmp_path)
    write(a, "shared.json")
    a.add_claim("mkdocs.yml", "shared.json")
    a.save()
    b.refresh()
    b.claim("other.yml", {"shared.json"})
    b.save()
    a.refresh()
    a.claim("mkdocs.yml", set())
    a.save()
    assert Manifest(tmp_path).claims == {"other.yml": {"shared.json"}}


def test_unreadable_manifest_is_a_problem_and_deletes_nothing(tmp_path: Path) -> None:
    (tmp_path / "page.json").write_text("x")
    (tmp_path / MANIFEST_NAME).write_text("[" * 10_000 + "]" * 10_000)
    manifest = Manifest(tmp_path)
    assert manifest.problem is not None and "unreadable" in manifest.problem
    assert manifest.remove(["page.json"]) == []
    assert (tmp_path / "page.json").exists()


def test_location_outside_the_project_root_or_docs_is_refused(tmp_path: Path) -> None:
    project, docs = tmp_path / "p", tmp_path / "p" / "docs"
    docs.mkdir(parents=True)
    assert location_problem(project / "_freeze", project, docs) is None
    assert "outside" in (location_problem(project / "..", project, docs) or "")
    assert "project folder itself" in (location_problem(project / ".", project, docs) or "")
    assert "docs" in (location_problem(docs, project, docs) or "")
    (project / "link").symlink_to(tmp_path)
    assert "outside" in (location_problem(project / "link", project, docs) or "")


def test_contents_of_an_older_release_are_adopted_others_refused(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.json").write_text("ours")
    assert check_contents(folder, lambda name, path: path.read_text() == "ours") is None
    assert json.loads((folder / MANIFEST_NAME).read_text())["files"] == ["sub/a.json"]
    other = tmp_path / "g"
    other.mkdir()
    (other / "package.json").write_text("{}")
    problem = check_contents(other, lambda name, path: False)
    assert problem is not None and "package.json" in problem
    assert not (other / MANIFEST_NAME).exists()
    assert check_contents(tmp_path / "missing", lambda name, path: False) is None
