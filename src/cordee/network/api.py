"""GET /api/v1/organisations and /api/v1/organisations/{id}: the directory, visible fields only."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from cordee.core import permissions
from cordee.network import selectors
from cordee.network.models import Family

router = Router(tags=["organisations"])


class CommuneOut(Schema):
    insee_code: str
    name: str
    latitude: Decimal | None
    longitude: Decimal | None


class SectorOut(Schema):
    slug: str
    name: str


class LegalFormOut(Schema):
    code: str
    label: str


class OrganisationOut(Schema):
    """An organisation; a field is absent when its block is not visible to the caller."""

    id: int
    slug: str
    name: str | None = None
    family: str | None = None
    sector: SectorOut | None = None
    commune: CommuneOut | None = None
    description: str | None = None
    logo: str | None = None
    founding_year: int | None = None
    website: str | None = None
    address: str | None = None
    postal_code: str | None = None
    email: str | None = None
    phone: str | None = None
    legal_form: LegalFormOut | None = None
    siren: str | None = None
    siret: str | None = None
    rna: str | None = None
    naf: str | None = None
    employees: int | None = None
    volunteers: int | None = None


class OrganisationFilters(Schema):
    q: str = Field("", max_length=100, description="Words to find in name, commune, sector (accents ignored)")
    commune: str = Field("", max_length=5, description="INSEE code of the commune")
    family: Family | None = Field(None, description="Family of organisation")
    sector: str = Field("", max_length=40, description="Sector identifier (slug)")
    legal_form: str = Field("", max_length=4, description="INSEE legal category code (4 digits)")


class ErrorOut(Schema):
    detail: str


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    exclude_unset=True,
    summary="List the organisations of the directory",
)
@paginate(PageNumberPagination, page_size=50)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> list[dict]:
    queryset = selectors.directory_organisations(
        request.user,
        selectors.DirectoryFilters(
            q=filters.q,
            commune=filters.commune,
            family=filters.family.value if filters.family else "",
            sector=filters.sector,
            legal_form=filters.legal_form,
        ),
    )
    return _LazyFields(queryset, request)  # type: ignore[return-value]


class _LazyFields:
    """Turns only the rows of the requested page into visible-field dicts."""

    def __init__(self, queryset, request: HttpRequest) -> None:  # type: ignore[no-untyped-def]
        self.queryset = queryset
        self.request = request

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item):  # type: ignore[no-untyped-def]
        rows = self.queryset[item]
        return [selectors.organisation_fields(org, permissions.visible_blocks(self.request.user, org)) for org in rows]


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, 404: ErrorOut},
    exclude_unset=True,
    summary="One organisation of the directory",
)
def get_organisation(request: HttpRequest, organisation_id: int) -> dict:
    organisation, blocks = selectors.get_organisation_by_id_for_user(request.user, organisation_id)
    return selectors.organisation_fields(organisation, blocks)
