from clinicpress.content.readability import count_syllables, measure, prose_text


def test_syllables() -> None:
    words = ("pain", "sleep", "medicine", "doctor", "exercise", "condition", "the")
    assert [count_syllables(w) for w in words] == [1, 1, 3, 2, 3, 3, 1]


def test_only_body_prose_counts() -> None:
    html = ("<h2>Extraordinarily complicated heading words</h2><p>The cat sat. "
            "See https://example.org/very/long/url.</p><pre><code>x = 1</code></pre>"
            "<p>Pain is real.<sup class='citation'><a>1</a></sup></p><table><tr><td>x</td></tr></table>")
    text = prose_text(html)
    assert "heading" not in text and "example" not in text and "x = 1" not in text
    result = measure(html)
    assert result.words == 7 and result.sentences == 3


def test_grade_rises_with_long_words_and_sentences() -> None:
    easy = measure("<p>" + "The dog ran. I hurt. We rest. " * 20 + "</p>")
    hard = measure("<p>" + "Pharmacological interventions demonstrate considerable heterogeneity "
                   "regarding therapeutic effectiveness across populations. " * 20 + "</p>")
    assert easy.grade < 2 < 12 < hard.grade


def test_smog_only_from_thirty_sentences() -> None:
    assert measure("<p>" + "We rest now. " * 29 + "</p>").smog is None
    assert measure("<p>" + "We rest now. " * 30 + "</p>").smog is not None


def test_list_items_end_sentences() -> None:
    assert measure("<ul><li>heat packs</li><li>gentle walks</li></ul>").sentences == 2
