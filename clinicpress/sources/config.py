"""config.yaml in, a validated, frozen ``SiteConfig`` out.

The schema is a list of typed ``Field``s: a wrong value is an error at its
line, an unknown key a warning with a "did you mean".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from clinicpress.contact import CallToAction, Office, Organization
from clinicpress.diagnostics import Diagnostics
from clinicpress.model import Localized
from clinicpress.sources.contact import (
    CALL_TO_ACTION,
    OFFICE,
    ORGANIZATION,
    call_to_action,
    check_contact,
)
from clinicpress.sources.csl_styles import UnknownStyle, resolve_style
from clinicpress.sources.files import read_source
from clinicpress.sources.languages import check_languages, localized
from clinicpress.sources.schema import (
    Field,
    boolean,
    integer,
    language_tag,
    list_of,
    mapping_of,
    number,
    optional_text,
    origin,
    read_fields,
    site_url,
    static_path,
    text,
    text_list,
)
from clinicpress.sources.yamldata import YamlMap, load_yaml


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewPolicy:
    required_for_tags: tuple[str, ...]
    required_for_all: bool
    missing_is_error: bool
    overdue_is_error: bool
    reviewers: tuple[str, ...] = ()  # author ids who may review, besides can_review: true
    allow_self_review: bool = False
    tags_line: int = 0  # of required_for_tags in config.yaml


@dataclass(frozen=True, slots=True, kw_only=True)
class EmergencyNotice:
    text: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    title: str
    description: str
    base_url: str
    language: str
    organization: Organization
    offices: tuple[Office, ...]
    disclaimer: str
    review_interval_days: int
    review: ReviewPolicy
    emergency_notice: EmergencyNotice | None
    posts_per_page: int
    toc_depth: int
    citation_style: str
    citation_style_file: str  # the .csl file it names (content.csl.resolve_style)
    max_reading_grade: float
    min_reading_ease: float
    feed_items: int
    search: bool
    dates_from_git: bool
    specialty: str
    max_post_kb: int
    allowed_origins: tuple[str, ...]  # other sites pages may load images from (privacy cost)
    allow_scripts_in_static: tuple[str, ...]  # static/ files allowed to hold script
    call_to_action: CallToAction
    picture_max_kb: int
    picture_max_width: int
    languages: tuple[str, ...] = ("en",)  # the first is the default
    localized: tuple[tuple[str, Localized], ...] = ()  # texts given per language
    root_url: str = ""  # the site's own base_url when this config is one language's

    def in_language(self, language: str) -> SiteConfig:
        """This config for one of the site's languages: its texts in that language, and
        (for all but the default) pages under ``/<language>/``."""
        if language == self.languages[0]:
            return self
        texts = {name: text.get(language, self.languages[0]) for name, text in self.localized}
        notice = self.emergency_notice
        return replace(
            self, language=language, root_url=self.base_url,
            base_url=f"{self.base_url}{language}/",
            title=texts.get("title", self.title),
            description=texts.get("description", self.description),
            disclaimer=texts.get("disclaimer", self.disclaimer),
            emergency_notice=replace(notice, text=texts.get("emergency_notice.text", notice.text))
            if notice else None,
            call_to_action=replace(self.call_to_action, heading=texts.get(
                "call_to_action.heading", self.call_to_action.heading)))

    @property
    def output_prefix(self) -> str:
        """Where this language's pages go in the output: "" or "es/"."""
        return "" if self.language == self.languages[0] else f"{self.language}/"

    @property
    def root_path(self) -> str:
        """The path of the whole site (static files, search, cards): ``/`` or ``/blog/``."""
        path = urlsplit(self.root_url or self.base_url).path.strip("/")
        return f"/{path}/" if path else "/"

    def root_absolute(self, path: str) -> str:
        """An absolute URL for a path of the whole site (``static/...``, ``es/...``)."""
        return self.origin + self.root_path + path.lstrip("/")

    @property
    def base_path(self) -> str:
        """The sub-path the site lives under, always with slashes: ``/`` or ``/blog/``."""
        path = urlsplit(self.base_url).path.strip("/")
        return f"/{path}/" if path else "/"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def origins(self) -> tuple[str, ...]:
        """Where pages may load pictures from: the site itself, then any the config allows."""
        return (self.origin, *self.allowed_origins)

    def absolute(self, path: str) -> str:
        """An absolute URL for a site-relative output path such as ``posts/x/``."""
        return self.origin + self.base_path + path.lstrip("/")


_REVIEW = (
    Field("required_for_tags", text_list, default=()),
    Field("required_for_all", boolean, default=False),
    Field("missing_is_error", boolean, default=False),
    Field("overdue_is_error", boolean, default=False),
    Field("reviewers", text_list, default=()),
    Field("allow_self_review", boolean, default=False),
)
_EMERGENCY = (
    Field("text", localized(text), required=True),
    Field("tags", text_list, default=()),
)
SCHEMA = (
    Field("title", localized(text), required=True,
          help="The site's name (a text, or one per language: `{en: ..., es: ...}`)."),
    Field("description", localized(text), required=True,
          help="The site's one-line description (or one per language)."),
    Field("base_url", site_url, required=True,
          help=("Where the site is published, e.g. `https://example.org/` or "
                "`https://user.github.io/clinic/`.")),
    Field("language", language_tag, default="en",
          help="The pages' language, as a language tag: `en`, `es`, `pt-BR`."),
    Field("languages", list_of(language_tag), default=(),
          help=("For a site in several languages: `[en, es]`, the default first. Articles "
                "in the others go in `content/<language>/posts/` (and `pages/`, `authors/`) "
                "and are published under `/<language>/`. Texts of this file may then be "
                "given per language: `title: {en: ..., es: ...}`.")),
    Field("organization", mapping_of(ORGANIZATION, "organization"), required=True,
          help="`name`, `phone`, `email` of the practice."),
    Field("offices", list_of(mapping_of(OFFICE, "office")), default=(),
          help=("A list of `id, name, street, city, postal_code, country, phone` (required), "
                "`region`, `hours`, `latitude`, `longitude`. `hours` is a list of `{days: Monday "
                "to Friday, opens: \"08:00\", closes: \"17:00\"}` (`days`: a day, a range or a "
                "list; 24-hour times), shown on the locations page and in the footer and given "
                "to search engines as `openingHoursSpecification`. `country` is a two-letter code "
                "(`US`); each phone number must be complete for that country: it is shown in "
                "the national format and linked as `tel:` in E.164. Each office gets a "
                "directions link (OpenStreetMap; a link, never an embedded map).")),
    Field("call_to_action", mapping_of(CALL_TO_ACTION, "call_to_action"), default=None,
          help=("The prompt after every article, before its references: `heading` (default "
                "\"Questions about this?\"), `office` (an office id: its name and number are "
                "given; default: the organization's number), `booking_url` (a \"Book a "
                "visit\" link) and `show` (`false` to leave it out).")),
    Field("disclaimer", localized(optional_text), default="",
          help="Markdown shown at the end of every article (or one per language)."),
    Field("review_interval_days", integer(30, 3650), default=1095,
          help="Three years between medical reviews (the NHS pattern)."),
    Field("review", mapping_of(_REVIEW, "review"), default=None,
          help="`required_for_tags` (each must be a tag of some post), `required_for_all`, "
               "`missing_is_error`, `overdue_is_error`, `reviewers` (author ids who may "
               "review besides those with `can_review: true`), `allow_self_review` (default "
               "`false`: the only author may not review their own article)."),
    Field("emergency_notice", mapping_of(_EMERGENCY, "emergency_notice"), default=None,
          help="`text` (Markdown) and `tags`: shown at the top of articles with those tags."),
    Field("posts_per_page", integer(1, 100), default=10,
          help="Articles per page on the home page."),
    Field("toc_depth", integer(2, 6), default=3,
          help="Deepest heading level in the contents list."),
    Field("citation_style", text, default="ama",
          help=("`ama`, `vancouver` (NLM), `apa`, `harvard`, any style name of the CSL "
                "repository (`american-medical-association`, `chicago-author-date`...) or a "
                "`.csl` file in the site.")),
    Field("max_reading_grade", number, default=8.0,
          help="English: a warning above this Flesch-Kincaid grade."),
    Field("min_reading_ease", number, default=55.0,
          help=("Spanish: a warning below this INFLESZ score (55: \"normal\"; the scale "
                "Spanish health services use). Other languages have no formula here, so no "
                "reading-level warning.")),
    Field("feed_items", integer(1, 1000), default=20,
          help="Articles in the feeds."),
    Field("search", boolean, default=True,
          help="Build the Pagefind search index."),
    Field("dates_from_git", boolean, default=False,
          help="Take `updated` from each post's last commit."),
    Field("specialty", text, default="Anesthesia",
          help="schema.org `MedicalSpecialty` for structured data."),
    Field("max_post_kb", integer(8, 10_000), default=512,
          help="A post larger than this is an error (keeps CI from hanging)."),
    Field("picture_max_kb", integer(50, 100_000), default=5120,
          help="A picture file larger than this (in KB) is a warning."),
    Field("picture_max_width", integer(200, 50_000), default=6000,
          help="A picture wider than this (in pixels) is a warning."),
    Field("allowed_origins", list_of(origin), default=(),
          help=("Other sites pages may show pictures from, e.g. `[https://images.example.org]`. "
                "Each one learns the address of every patient who opens such a page: leave it "
                "empty unless you must.")),
    Field("allow_scripts_in_static", list_of(static_path), default=(),
          help=("Files in `static/` that may hold script (`.html`, `.js`, `.mjs`, SVG with "
                "script), e.g. `[static/booking-widget.js]`. Anything else of that kind is an "
                "error.")),
)


def load_config(
    site_dir: Path, diags: Diagnostics, base_url: str | None = None
) -> SiteConfig | None:
    """Read and check ``config.yaml``; ``None`` after reporting its errors."""
    path = "config.yaml"
    file = site_dir / path
    if not file.exists() and not file.is_symlink():
        diags.error(path, None, f"no config.yaml in {site_dir} (is --site right?)")
        return None
    source = read_source(site_dir, file, diags, max_kb=1024)
    if source is None:
        return None
    data = load_yaml(source.text, path, 1, diags)
    if data is None:
        if not diags.has_errors():
            diags.error(path, 1, "config.yaml is empty")
        return None
    if not isinstance(data, YamlMap):
        diags.error(path, 1, "config.yaml must be a mapping of settings (key: value)")
        return None
    if base_url is not None:
        data["base_url"] = base_url
    values = read_fields(data, SCHEMA, path, diags, "config.yaml")
    if values is None:
        return None
    if not check_contact(values, data, path, diags) or \
            not check_languages(values, data, path, diags):
        return None
    review = data.get("review")
    values["review_tags_line"] = review.line_of("required_for_tags") \
        if isinstance(review, YamlMap) else data.line_of("review")
    try:
        values["citation_style_file"] = str(resolve_style(values["citation_style"], site_dir))
    except UnknownStyle as exc:
        diags.error(path, data.line_of("citation_style"), f"'citation_style': {exc}")
        return None
    return _to_config(values)


def _to_config(v: dict[str, Any]) -> SiteConfig:
    review = v["review"] or {}
    notice = v["emergency_notice"]
    base_url = v["base_url"] if v["base_url"].endswith("/") else v["base_url"] + "/"
    offices = tuple(Office(**office) for office in v["offices"])
    return SiteConfig(
        title=v["title"],
        description=v["description"],
        base_url=base_url,
        language=v["language"],
        organization=Organization(**v["organization"]),
        offices=offices,
        disclaimer=v["disclaimer"],
        review_interval_days=v["review_interval_days"],
        review=ReviewPolicy(
            required_for_tags=review.get("required_for_tags", ()),
            required_for_all=review.get("required_for_all", False),
            missing_is_error=review.get("missing_is_error", False),
            overdue_is_error=review.get("overdue_is_error", False),
            reviewers=review.get("reviewers", ()),
            allow_self_review=review.get("allow_self_review", False),
            tags_line=v["review_tags_line"],
        ),
        emergency_notice=EmergencyNotice(**notice) if notice else None,
        posts_per_page=v["posts_per_page"],
        toc_depth=v["toc_depth"],
        citation_style=v["citation_style"],
        citation_style_file=v["citation_style_file"],
        max_reading_grade=v["max_reading_grade"],
        min_reading_ease=v["min_reading_ease"],
        feed_items=v["feed_items"],
        search=v["search"],
        dates_from_git=v["dates_from_git"],
        specialty=v["specialty"],
        max_post_kb=v["max_post_kb"],
        allowed_origins=v["allowed_origins"],
        allow_scripts_in_static=v["allow_scripts_in_static"],
        call_to_action=call_to_action(v["call_to_action"], offices),
        languages=v["languages"],
        localized=v["localized"],
        picture_max_kb=v["picture_max_kb"],
        picture_max_width=v["picture_max_width"],
    )
