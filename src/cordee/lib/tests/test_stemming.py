from cordee.lib.stemming import stems, words


def test_accounting_and_accountant_share_a_stem() -> None:
    assert stems("comptabilité") == stems("comptable") == ["comptabl"]


def test_accents_and_case_do_not_matter_for_plural_network() -> None:
    assert stems("Réseaux") == stems("reseau") == ["reseau"]


def test_it_stems_before_folding_accents() -> None:
    # Folded first, "comptabilité" would lose its suffix "ité" and stay "comptabilit".
    assert stems("COMPTABILITÉ des associations") == ["comptabl", "associ"]


def test_stop_words_and_single_letters_are_gone() -> None:
    assert stems("Cherche aide pour la comptabilité de l'association") == ["aid", "comptabl", "associ"]


def test_words_keep_accents_for_a_stemmer_that_needs_them() -> None:
    assert words("Prêt d'une remorque, 2 jours") == ["prêt", "remorque", "jours"]


def test_an_empty_or_meaningless_text_has_no_stems() -> None:
    assert stems("") == []
    assert stems(" - de la, et ! ") == []
