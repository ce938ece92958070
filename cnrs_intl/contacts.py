"""Who to contact about a country: the answer that opens every country dossier."""

from dataclasses import dataclass, field

from offices.models import Country, Coverage, Office, Sector


@dataclass
class WhoToContact:
    """The offices covering a country now, the sector's department page when no office covers it
    (or none of those publishes a contact), and the French embassy's science service if known."""

    country: Country
    offices: list[Office] = field(default_factory=list)
    sector: Sector | None = None
    science_service: Country | None = None

    @property
    def needs_department(self) -> bool:
        """No covering office, or none that publishes a way to write or call to it."""
        return not any(office.is_reachable for office in self.offices)

    @property
    def department_page(self) -> str:
        return self.sector.contact_page if self.sector else ""


def who_to_contact(country: Country, current_coverages: list[Coverage]) -> WhoToContact:
    """Built from what the dossier has already read (the country with its sector, its current
    coverages with their offices): no query of its own, whatever the number of offices."""
    offices: list[Office] = []
    for coverage in current_coverages:
        if coverage.office not in offices:
            coverage.office.covers_since = coverage.start_year or coverage.office.opened
            coverage.office.current_coverage = coverage
            offices.append(coverage.office)
    return WhoToContact(
        country=country,
        offices=offices,
        sector=country.sector,
        science_service=country if country.has_science_service else None,
    )
