"""The clinic as data: its organization, offices, opening hours and the call to action
after every article (frozen dataclasses; ``sources.contact`` fills them from config.yaml,
templates and structured data read them).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningHours:
    """One opening period of an office: on ``days`` (indexes into ``DAYS``, Monday 0),
    from ``opens`` to ``closes`` ("08:00", 24-hour)."""

    days: tuple[int, ...]
    opens: str
    closes: str

    @property
    def day_names(self) -> tuple[str, ...]:
        """schema.org's ``dayOfWeek`` names."""
        return tuple(DAYS[day] for day in self.days)


@dataclass(frozen=True, slots=True, kw_only=True)
class Office:
    id: str
    name: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    phone: str
    hours: tuple[OpeningHours, ...]
    latitude: float | None = None
    longitude: float | None = None
    phone_e164: str = ""  # the phone number in E.164, for tel: links and structured data

    @property
    def tel(self) -> str:
        return f"tel:{self.phone_e164}"

    @property
    def directions_url(self) -> str:
        """A link (never an embedded map) to directions on OpenStreetMap."""
        if self.latitude is not None and self.longitude is not None:
            return (f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                    f"#map=17/{self.latitude}/{self.longitude}")
        address = ", ".join(p for p in (self.street, self.city, self.region, self.postal_code,
                                        self.country) if p)
        return "https://www.openstreetmap.org/search?query=" + quote_plus(address)


@dataclass(frozen=True, slots=True, kw_only=True)
class CallToAction:
    """The prompt after every article: call an office (or the organization), or book."""

    show: bool
    heading: str
    office: Office | None  # None: the organization's number
    booking_url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Organization:
    name: str
    phone: str
    email: str
    phone_e164: str = ""

    @property
    def tel(self) -> str:
        return f"tel:{self.phone_e164}"
