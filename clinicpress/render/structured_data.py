"""The site and its posts in, schema.org JSON-LD (as plain dicts) out.

Each post is a ``MedicalWebPage`` whose ``mainEntity`` is a ``BlogPosting``;
authors are ``Person``s with the URL of their page; the practice is a
``MedicalOrganization`` and each office its own ``MedicalClinic`` with a
stable ``@id``. Templates emit these with ``|tojson``, which escapes ``<``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clinicpress.contact import Office
from clinicpress.model import Author, Post
from clinicpress.sources.config import SiteConfig

if TYPE_CHECKING:
    from clinicpress.content.site import Site


def organization_id(config: SiteConfig) -> str:
    return config.absolute("#organization")


def _person(config: SiteConfig, author: Author) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": author.name,
                              "url": config.absolute(f"authors/{author.id}/")}
    if author.credentials:
        person["honorificSuffix"] = author.credentials
    if author.role:
        person["jobTitle"] = author.role
    return person


def _clinic(config: SiteConfig, office: Office) -> dict[str, Any]:
    clinic: dict[str, Any] = {
        "@type": "MedicalClinic",
        "@id": config.absolute(f"locations/#office-{office.id}"),
        "name": office.name,
        "url": config.absolute(f"locations/#office-{office.id}"),
        "telephone": office.phone_e164,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": office.street,
            "addressLocality": office.city,
            "addressRegion": office.region,
            "postalCode": office.postal_code,
            "addressCountry": office.country,
        },
        "parentOrganization": {"@id": organization_id(config)},
    }
    if office.latitude is not None and office.longitude is not None:
        clinic["geo"] = {"@type": "GeoCoordinates", "latitude": office.latitude,
                         "longitude": office.longitude}
    if office.hours:
        clinic["openingHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": list(period.day_names),
             "opens": period.opens, "closes": period.closes}
            for period in office.hours]
    return clinic


def organization_jsonld(config: SiteConfig) -> dict[str, Any]:
    org = config.organization
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "MedicalOrganization",
                "@id": organization_id(config),
                "name": org.name,
                "url": config.base_url,
                "telephone": org.phone_e164,
                "email": org.email,
                "medicalSpecialty": config.specialty,
                "department": [{"@id": config.absolute(f"locations/#office-{o.id}")}
                               for o in config.offices],
            },
            *(_clinic(config, office) for office in config.offices),
        ],
    }


def _citation(post: Post) -> list[dict[str, Any]]:
    items = []
    for citation in post.citations:
        ref = citation.reference
        item: dict[str, Any] = {"@type": "ScholarlyArticle", "name": ref.title}
        same_as = [u for u in (ref.doi_url, ref.pubmed_url, ref.url) if u]
        if same_as:
            item["sameAs"] = same_as if len(same_as) > 1 else same_as[0]
        if ref.container_title or ref.container_title_short:
            item["isPartOf"] = ref.container_title or ref.container_title_short
        if ref.year:
            item["datePublished"] = str(ref.year)
        items.append(item)
    return items


def post_jsonld(site: Site, post: Post) -> dict[str, Any]:
    config = site.config
    url = config.absolute(post.url_path)
    article: dict[str, Any] = {
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.description,
        "datePublished": post.published.isoformat(),
        "dateModified": post.modified.isoformat(),
        "author": [_person(config, a) for a in post.authors],
        "publisher": {"@id": organization_id(config)},
        "mainEntityOfPage": url,
        "keywords": [t.name for t in post.tags],
        "wordCount": post.readability.words,
    }
    if post.image:
        article["image"] = config.absolute(post.image) if post.image.startswith("/") \
            else post.image
    page: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": post.title,
        "inLanguage": config.language,
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "specialty": config.specialty,
        "mainEntity": article,
        "citation": _citation(post),
    }
    if post.review:
        page["lastReviewed"] = post.review.last_reviewed.isoformat()
        page["reviewedBy"] = _person(config, post.review.reviewer)
    return page
