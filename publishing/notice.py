"""The notice before publication (DESIGN §2 step 7): the Panel, the Secretary of State and Ofsted
have the report ahead of publication. Read by the publication page's selectors and enforced by
the scheduling services, both from here."""

# Local rule: they have the report at least 7 working days before it is published.
NOTICE_WORKING_DAYS = 7
NOTICE_SOURCE = (
    "Working Together to Safeguard Children 2023, ch. 5: copies to the Panel and the Secretary "
    "of State (and Ofsted) ahead of publication; 7 working days is the usual local rule."
)
