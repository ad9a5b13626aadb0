"""The other names the demo partnerships' agencies (../shared/seeds/published_reviews.json) go
by, for the agencies register: real, well-known names only — the Metropolitan Police Service's
short forms, the NHS trust's full and hospital names (Croydon University Hospital was Mayday
University Hospital until 2010), the clinical commissioning group's short form, and the
councils whose children's social care each partnership's is. The independence check of lead
reviewers matches declared affiliations through them."""

AGENCY_ALIASES: dict[str, tuple[str, ...]] = {
    "Met Police": ("Metropolitan Police Service", "Metropolitan Police", "MPS"),
    "NHS Croydon Health Services": (
        "Croydon Health Services NHS Trust",
        "Croydon University Hospital",
        "Mayday University Hospital",
    ),
    "NHS Croydon Clinical Commissioning Group": ("NHS Croydon CCG", "Croydon CCG"),
    "Croydon Children's Social Care": ("London Borough of Croydon", "Croydon Council"),
    "Lewisham Children's Social Care": ("London Borough of Lewisham", "Lewisham Council"),
    "Merton Children's Social Care": ("London Borough of Merton", "Merton Council"),
    "Brent Children's Social Care": ("London Borough of Brent", "Brent Council"),
    "Redbridge Children's Social Care": ("London Borough of Redbridge", "Redbridge Council"),
}
