"""What people do on Cordée, through a real browser: a visitor, an applicant, the coordinator, a member admin.

Selectors rely on ids, names and addresses rather than on words, so the tests hold whether the
interface is shown in French or, while translations are not compiled, in English.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from cordee.core.models import User
from cordee.core.testing import Actors, make_organisation, valid_siren, valid_siret
from cordee.network.models import Affiliation, Membership, Organisation, Visibility

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the dev dependencies always bring it
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("the playwright Python package is not installed", allow_module_level=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    # The live server sees only committed rows; the reference data (communes, legal forms) comes
    # from a data migration, so it must be restored after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def submit(page: Any) -> None:
    page.locator("main form button[type=submit]").click()


def wait_for_the_map_to_settle(page: Any) -> None:
    """Wait until Leaflet has stopped zooming to fit the markers and redrawing its clusters.

    While it animates, a cluster exists twice (the old one fading out), and a click on the
    wrong one does nothing. The map object is private to map.js, so watch the markers instead.
    """
    page.wait_for_function(
        """() => {
            const icons = document.querySelectorAll(".leaflet-marker-icon");
            const busy = document.querySelector(".leaflet-zoom-anim, .leaflet-cluster-anim");
            const state = busy || !icons.length ? "busy" : Array.from(icons, (icon) => icon.outerHTML).join("");
            const now = performance.now();
            if (window.__mapState !== state) {
                window.__mapState = state;
                window.__mapSince = now;
                return false;
            }
            return state !== "busy" && now - window.__mapSince > 300;
        }"""
    )


def test_visitor_searches_the_directory_opens_an_organisation_and_the_map(page: Any) -> None:
    ecole = make_organisation(
        "École de Musique du Champsaur",
        commune="05132",
        visibility=Visibility.PUBLIC,
        contact_visibility=Visibility.MEMBERS,
        email="secretariat@ecole-champsaur.example",
        description="Cours de piano, de violon et de chant pour tous les âges, dans la vallée.",
    )
    make_organisation("Chorale du Champsaur", commune="05132", visibility=Visibility.PUBLIC)
    make_organisation("Recyclerie du Briançonnais", commune="05023", visibility=Visibility.PUBLIC)
    make_organisation("Cercle réservé aux membres", commune="05046", visibility=Visibility.MEMBERS)

    page.goto(reverse("network:directory"))
    search = page.locator("#directory-filters input[name=q]")
    search.fill("ecole")
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]q=ecole"))
    results = page.locator("#results .card")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("École de Musique du Champsaur")

    results.get_by_role("link", name="École de Musique du Champsaur").click()
    expect(page).to_have_url(re.compile(re.escape(ecole.get_absolute_url()) + "$"))
    expect(page.locator("main h1")).to_have_text("École de Musique du Champsaur")
    expect(page.locator("main .description")).to_contain_text("Cours de piano, de violon et de chant")
    # The contact block is for members only: a visitor sees neither its heading nor the address.
    expect(page.locator("#h-contact")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("secretariat@ecole-champsaur.example")

    page.goto(reverse("network:map"))
    points = {point["name"] for point in json.loads(page.locator("#map-points").text_content() or "[]")}
    assert points == {"École de Musique du Champsaur", "Chorale du Champsaur", "Recyclerie du Briançonnais"}
    # Leaflet drew the map: one marker for Briançon, one cluster for the two of Saint-Bonnet.
    wait_for_the_map_to_settle(page)
    expect(page.locator("img.leaflet-marker-icon")).to_have_count(1)
    cluster = page.locator(".marker-cluster")
    expect(cluster).to_have_count(1)
    expect(cluster).to_have_text("2")
    marker = page.locator('img.leaflet-marker-icon[title="École de Musique du Champsaur"]')
    expect(marker).to_have_count(0)
    cluster.click()  # same spot: the cluster spreads its markers out
    wait_for_the_map_to_settle(page)
    marker.click()

    link = page.locator(".leaflet-popup-content a.map-link")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", ecole.get_absolute_url())
    link.click()
    expect(page).to_have_url(re.compile(re.escape(ecole.get_absolute_url()) + "$"))
    expect(page.locator("main h1")).to_have_text("École de Musique du Champsaur")


def test_an_organisation_applies_and_the_coordinator_approves_it(
    new_page: Any, live_server: Any, settings: Any, actors: Actors, log_in: Any
) -> None:
    settings.SITE_URL = live_server.url
    siren = valid_siren(4242)
    siret = valid_siret(siren)
    wrong_siret = siret[:-1] + str((int(siret[-1]) + 1) % 10)

    applicant = new_page()
    applicant.goto(reverse("network:apply"))
    applicant.locator("#id_name").fill("Les Ateliers du Dévoluy")
    applicant.locator("#id_family").select_option("association")
    applicant.locator("#id_legal_form").select_option("9220")
    applicant.locator("#id_siren").fill(siren)
    applicant.locator("#id_siret").fill(wrong_siret)
    expect(applicant.locator("#id_commune option")).to_have_count(163)  # 162 communes and the empty choice
    applicant.locator("#id_commune").select_option("05061")
    applicant.locator("#id_description").fill("Menuiserie partagée et ateliers de réparation.")
    applicant.locator("#id_contact_name").fill("Hélène Arnaud")
    applicant.locator("#id_contact_email").fill("helene@ateliers-devoluy.example")
    applicant.locator("#id_consent").check()
    submit(applicant)

    expect(applicant).to_have_url(re.compile(re.escape(reverse("network:apply")) + "$"))
    expect(applicant.locator(".error-summary")).to_be_visible()
    expect(applicant.locator("#id_siret_error")).to_be_visible()
    expect(applicant.locator("#id_siret")).to_have_attribute("aria-invalid", "true")
    expect(applicant.locator("#id_siren_error")).to_have_count(0)
    assert not Organisation.objects.filter(name="Les Ateliers du Dévoluy").exists()

    # What was typed is still there: only the SIRET needs fixing.
    expect(applicant.locator("#id_name")).to_have_value("Les Ateliers du Dévoluy")
    expect(applicant.locator("#id_commune")).to_have_value("05061")
    applicant.locator("#id_siret").fill(siret)
    submit(applicant)
    expect(applicant).to_have_url(re.compile(re.escape(reverse("network:apply_done")) + "$"))
    organisation = Organisation.objects.get(name="Les Ateliers du Dévoluy")
    assert organisation.membership.status == Membership.Status.CANDIDATE

    coordinator = new_page()
    log_in(coordinator, actors.coordinator.email)
    coordinator.locator(f'header a[href="{reverse("network:applications")}"]').click()
    coordinator.get_by_role("link", name="Les Ateliers du Dévoluy").click()
    expect(coordinator.locator("main h1")).to_contain_text("Les Ateliers du Dévoluy")
    coordinator.locator("button[name=action][value=approve]").click()
    expect(coordinator).to_have_url(re.compile(re.escape(reverse("network:applications")) + "$"))
    expect(coordinator.locator(".messages .success")).to_contain_text("Les Ateliers du Dévoluy")
    expect(coordinator.get_by_role("link", name="Les Ateliers du Dévoluy")).to_have_count(0)

    invitations = [m for m in mail.outbox if m.to == ["helene@ateliers-devoluy.example"]]
    assert len(invitations) == 1, [m.subject for m in mail.outbox]
    links = re.findall(r"https?://\S+", invitations[0].body)
    setup_links = [url for url in links if "/compte/mot-de-passe/nouveau/" in url]
    assert len(setup_links) == 1, invitations[0].body
    assert setup_links[0].startswith(live_server.url)

    applicant.goto(setup_links[0])
    new_password = "Une cordée bien solide 2025"
    applicant.locator("#id_new_password1").fill(new_password)
    applicant.locator("#id_new_password2").fill(new_password)
    submit(applicant)
    expect(applicant).to_have_url(re.compile(re.escape(reverse("password_reset_complete")) + "$"))

    log_in(applicant, "helene@ateliers-devoluy.example", new_password)
    applicant.locator(f'header a[href="{reverse("account")}"]').click()
    expect(applicant.locator("main")).to_contain_text("helene@ateliers-devoluy.example")
    expect(applicant.locator(f'main a[href="{organisation.get_absolute_url()}"]')).to_have_text(
        "Les Ateliers du Dévoluy"
    )
    person = User.objects.get(email="helene@ateliers-devoluy.example")
    assert person.affiliations.get(organisation=organisation).role == Affiliation.Role.ADMIN


def test_a_member_admin_edits_the_public_profile(new_page: Any, actors: Actors, log_in: Any) -> None:
    org_a = actors.org_a
    assert org_a.listing_visibility == org_a.profile_visibility == Visibility.MEMBERS

    phone = new_page(viewport={"width": 390, "height": 844})
    log_in(phone, actors.member_admin_a.email)
    phone.goto(reverse("account"))
    phone.locator(f'main a[href="{org_a.get_absolute_url()}"]').click()
    expect(phone.locator("main h1")).to_have_text(org_a.name)
    phone.locator(f'main a[href="{reverse("network:organisation_edit", args=[org_a.slug])}"]').click()

    # Nothing wider than the phone: no sideways scrolling on the longest form.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    new_description = "Maraîchage biologique et paniers solidaires, livrés chaque jeudi à Gap."
    phone.locator("#id_description").fill(new_description)
    phone.locator("input[name=listing_visibility][value=public]").check()
    phone.locator("input[name=profile_visibility][value=public]").check()
    submit(phone)

    expect(phone).to_have_url(re.compile(re.escape(org_a.get_absolute_url()) + "$"))
    expect(phone.locator(".messages .success")).to_be_visible()
    expect(phone.locator("main .description")).to_have_text(new_description)

    visitor = new_page()
    visitor.goto(org_a.get_absolute_url())
    expect(visitor.locator("main h1")).to_have_text(org_a.name)
    expect(visitor.locator("main .description")).to_have_text(new_description)
    # Contact details stay for members: only what the admin opened became public.
    expect(visitor.locator("#h-contact")).to_have_count(0)
    expect(visitor.locator("main")).not_to_contain_text(org_a.email)


def test_keyboard_only_can_reach_the_directory_search(page: Any) -> None:
    make_organisation("École de Musique du Champsaur", commune="05132", visibility=Visibility.PUBLIC)
    page.goto(reverse("network:directory"))
    assert page.evaluate("document.documentElement.lang") == "fr"

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_attribute("href", "#main")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link must show when focused"

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # After the skip link, the search field is the first stop.
    assert page.evaluate("document.activeElement.name") == "q", page.evaluate("document.activeElement.outerHTML")

    field = page.locator(":focus")
    labels = field.evaluate("el => Array.from(el.labels, label => label.textContent.trim())")
    assert labels and labels[0], "the search field has a visible label"
    assert field.evaluate("el => getComputedStyle(el).outlineStyle") == "solid", "keyboard focus is visible"

    page.keyboard.type("ecole")
    page.keyboard.press("Enter")
    expect(page.locator("#results .card")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("École de Musique du Champsaur")
