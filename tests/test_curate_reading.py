"""The drafter's reading of unseen articles: sentences, document structure (headings, lists,
label lines, tables), new typed terms, definitions, coordination and quoting. Every text here is
made up for the test."""

from __future__ import annotations

import pytest

from termgraph.curate.draft import find_all, rows_for
from termgraph.curate.project import load_project
from termgraph.curate.segment import segment
from tests.curate_helpers import ROOT


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def rows(project, text: str) -> list[dict]:
    return rows_for(find_all(project, text), text, "test.txt", "999")


def claims(project, text: str) -> set[tuple]:
    return {(r["subject"], r["predicate"], r["object"], r["stance"]) for r in rows(project, text)}


def test_sentences_end_at_stops_but_not_after_abbreviations_or_initials():
    text = ("Tools (e.g. Foo, Bar, etc.) are shown. J. Smith wrote it! Did he? “Yes.” (Then a note.) "
            "Version 3.5 is out.\n")
    got = [s.text(text) for s in segment(text)]
    assert got == ["Tools (e.g. Foo, Bar, etc.) are shown.", "J. Smith wrote it!", "Did he?", "“Yes.”",
                   "(Then a note.)", "Version 3.5 is out."]


def entities(project, text: str) -> list[tuple]:
    from termgraph.curate.draft import entity_rows

    return [(e["id"], e["kind"], e["label"]) for e in entity_rows(find_all(project, text), text)]


# 1. The article's structure


def test_a_label_line_of_examples_takes_the_section_term_and_proposes_the_category(project):
    text = ("Sparse Expert Models\n\nSparse expert models route each token to a few experts.\n\n"
            "Examples: Zorblax, Quillon-3, Fennimore\n\nApplications: Chatbots, translation\n")
    got = rows(project, text)
    assert {(r["subject"], r["predicate"], r["object"], r["stance"]) for r in got} == {
        ("system:zorblax", "rdf:type", "concept:sparse-expert-model", "asserts"),
        ("system:quillon-3", "rdf:type", "concept:sparse-expert-model", "asserts"),
        ("system:fennimore", "rdf:type", "concept:sparse-expert-model", "asserts")}
    assert {r["quote"] for r in got} == {"Examples: Zorblax, Quillon-3, Fennimore"}
    assert got[0]["note"] == "about sparse expert model: Sparse expert models route each token to a few experts."
    assert entities(project, text) == [("system:zorblax", "system", "Zorblax"),
                                       ("concept:sparse-expert-model", "concept", "sparse expert model"),
                                       ("system:quillon-3", "system", "Quillon-3"), ("system:fennimore", "system", "Fennimore")]


def test_examples_without_a_class_take_the_previous_sentence_subject_and_nothing_without_one(project):
    assert claims(project, "Chatbots are programs that talk with people. Notable examples include Zorblax and Quillon.\n") == {
        ("concept:chatbot", "skos:definition", "programs that talk with people", "asserts"),
        ("system:zorblax", "rdf:type", "concept:chatbot", "asserts"),
        ("system:quillon", "rdf:type", "concept:chatbot", "asserts")}
    assert claims(project, "Notable examples include Zorblax and Quillon.\n") == set()
    assert not any(c[1] == "rdf:type" for c in claims(project, "Chatbots talk.\n\nApplications: Zorblax, Quillon\n"))


def test_a_negated_list_heading_makes_its_items_denials_with_the_heading_in_the_note(project):
    text = "Image generators that are not foundation models:\n  • Pixelwright (2019)\n  • Old Canvas, Brushy\n\nOther notes follow here."
    got = rows(project, text)
    assert {(r["subject"], r["predicate"], r["object"], r["stance"]) for r in got} == {
        (s, "rdf:type", "concept:image-generator", "asserts") for s in ("system:pixelwright", "system:old-canvas", "system:brushy")
    } | {(s, "rdf:type", "concept:foundation-model", "denies") for s in ("system:pixelwright", "system:old-canvas", "system:brushy")}
    assert {r["quote"] for r in got} == {"Pixelwright (2019)", "Old Canvas, Brushy"}
    assert {r["note"] for r in got} == {"under: Image generators that are not foundation models:"}


def test_a_list_item_that_is_a_glossary_term_is_not_a_name(project):
    text = "Image generators include:\n  • Brushy (2021)\n  • Scale — image generators often have billions of parameters\n"
    assert claims(project, text) == {("system:brushy", "rdf:type", "concept:image-generator", "asserts")}


def test_a_concept_subheading_defines_the_section_term_and_basis_for_lines_build_on_it(project):
    text = ("3. Variational Autoencoders (VAEs)\n\nConcept\n\n  1. Compress input data into a code and decode it again.\n"
            "  2. Learn a distribution of the data.\n\n4. Image Generators\n\nConcept\n\n  1. The models draw pictures.\n\n"
            "5. Diffusion Models\n\n  1. Basis for modern image tools like Pixelwright 2 and Brushy.\n")
    assert claims(project, text) == {
        ("concept:variational-autoencoder", "skos:altLabel", "VAE", "asserts"),
        ("concept:variational-autoencoder", "skos:definition", "Compress input data into a code and decode it again", "asserts"),
        ("system:pixelwright-2", "tg:poweredBy", "concept:diffusion-model", "asserts"),
        ("system:brushy", "tg:poweredBy", "concept:diffusion-model", "asserts")}


# 2. New terms, typed


def test_new_terms_are_typed_by_their_wording(project):
    text = ("Generative AI leverages models like GANs and VAEs. Many products use sparse expert models such as Zorblax. "
            "Stability AI released Brushy. Claude 7 is a chatbot.")
    assert claims(project, text) == {
        ("concept:generative-ai", "tg:poweredBy", "concept:generative-adversarial-network", "asserts"),
        ("concept:generative-ai", "tg:poweredBy", "concept:variational-autoencoder", "asserts"),
        ("system:zorblax", "rdf:type", "concept:sparse-expert-model", "asserts"),
        ("system:brushy", "schema:creator", "org:stability-ai", "asserts"),
        ("system:claude-7", "rdf:type", "concept:chatbot", "asserts")}
    assert entities(project, text) == [
        ("system:zorblax", "system", "Zorblax"), ("concept:sparse-expert-model", "concept", "sparse expert model"),
        ("system:brushy", "system", "Brushy"), ("org:stability-ai", "org", "Stability AI"),
        ("system:claude-7", "system", "Claude 7")]


# 3. Definitions a curator would pick


def test_explicit_definitions_end_at_their_clause_and_comparisons_are_not_definitions(project):
    text = ("The term chatbot refers to programs that hold a conversation, but not all of them think. "
            "A foundation model is defined as a model trained on broad data. "
            "Image generators, in contrast, are a much broader category of tools. Chatbots are also a kind of AI product.")
    assert claims(project, text) == {
        ("concept:chatbot", "skos:definition", "programs that hold a conversation", "asserts"),
        ("concept:foundation-model", "skos:definition", "a model trained on broad data", "asserts"),
        ("concept:chatbot", "rdfs:subClassOf", "concept:ai-product", "asserts")}


def test_one_definition_per_term_the_most_explicit(project):
    text = "Chatbots are programs that answer questions. A chatbot refers to software that holds a conversation.\n"
    assert [r["object"] for r in rows(project, text) if r["predicate"] == "skos:definition"] == [
        "software that holds a conversation"]


# 4. Coordination and quoting


def test_coordinated_and_quoted_names(project):
    text = ('Zorblax and Quillon are popular image generators. Modern "chatbots" like Brushy answer questions. '
            'Generative AI describes models like Pixelwright and Brushy. Researchers and engineers are people.\n')
    assert claims(project, text) == {
        ("system:zorblax", "rdf:type", "concept:image-generator", "asserts"),
        ("system:quillon", "rdf:type", "concept:image-generator", "asserts"),
        ("system:brushy", "rdf:type", "concept:chatbot", "asserts"),
        ("system:pixelwright", "rdf:type", "concept:generative-ai", "asserts"),
        ("system:brushy", "rdf:type", "concept:generative-ai", "asserts")}


def test_pronouns_appositive_kinds_distinctions_and_training(project):
    text = ("Chatbots\n\nThey are a kind of AI product. Chatbots, a specialized kind of AI product, talk.\n\n"
            "Chatbots vs image generators\n\nThe difference between chatbots and image generators is clear.\n\n"
            "What Is Zorblax?\n\nIt was introduced by Google in 2020. Zorblax is a chatbot, but it is not a foundation model.\n")
    assert claims(project, text) == {
        ("concept:chatbot", "rdfs:subClassOf", "concept:ai-product", "asserts"),
        ("concept:chatbot", "tg:distinctFrom", "concept:image-generator", "asserts"),
        ("system:zorblax", "schema:creator", "org:google", "asserts"),
        ("system:zorblax", "rdf:type", "concept:chatbot", "asserts"),
        ("system:zorblax", "rdf:type", "concept:foundation-model", "denies")}
