from clinicpress.diagnostics import Diagnostics
from clinicpress.sources.yamldata import YamlMap, load_yaml


def load(text: str, first_line: int = 2) -> tuple[object, list[str]]:
    diags = Diagnostics()
    value = load_yaml(text, "post.md", first_line, diags)
    return value, [d.format() for d in diags]


def test_yaml_1_1_surprises_stay_text() -> None:
    value, problems = load("a: NO\nb: 12:30\nc: 01234\nd: off\ne: 2024-02-30\n")
    assert value == {"a": "NO", "b": "12:30", "c": "01234", "d": "off", "e": "2024-02-30"}
    assert problems == []


def test_plain_numbers_and_booleans_still_work() -> None:
    value, _ = load("n: 42\nf: 1.5\nt: true\nz: false\nnothing:\n")
    assert value == {"n": 42, "f": 1.5, "t": True, "z": False, "nothing": None}


def test_key_lines_are_file_lines() -> None:
    value, _ = load("title: x\n\ntags:\n  - a\n  - b\n", first_line=2)
    assert isinstance(value, YamlMap)
    assert value.line_of("title") == 2 and value.line_of("tags") == 4
    assert value["tags"].item_lines == [5, 6]


def test_duplicate_keys_are_an_error_naming_both_lines() -> None:
    _, problems = load("title: a\ndate: 2024-01-01\ntitle: b\n")
    assert problems == ["post.md:4: error: duplicate key 'title' (first set on line 2)"]


def test_python_tags_are_never_run() -> None:
    value, problems = load("x: !!python/object/apply:os.system [echo hi]\n")
    assert value is None
    assert problems == ["post.md:2: error: unsupported YAML tag "
                        "'tag:yaml.org,2002:python/object/apply:os.system'"]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]")
    value, problems = load("\n".join(lines) + "\n")
    assert value is None
    assert "anchors and aliases" in problems[0]


def test_hash_comment_that_cuts_a_value_is_a_warning() -> None:
    value, problems = load("title: Update #2\n")
    assert value == {"title": "Update"}
    assert problems == ["post.md:2: warning: ' #' starts a YAML comment, so the value is only "
                        "'Update'; put the whole value in quotes if the '#' belongs to it"]
    _, quoted = load('title: "Update #2"\n')
    assert quoted == []


def test_deep_nesting_is_bounded() -> None:
    value, problems = load("x: " + "[" * 5000 + "]" * 5000 + "\n")
    assert value is None and problems and "error" in problems[0]
