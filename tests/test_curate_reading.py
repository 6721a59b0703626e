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


def test_an_aside_s_examples_share_the_class_and_maker_and_used_in_is_built_on(project):
    text = ("Chatbots talk. Notable examples include OpenAI's Zorblax models (e.g., Zorblax-2 and Zorblax-3, used in "
            "ChatGPT), Google's Quillon (used in Bard), and Brushy.\n")
    assert claims(project, text) == {
        ("system:zorblax", "schema:creator", "org:openai", "asserts"),
        ("system:quillon", "schema:creator", "org:google", "asserts"),
        ("system:zorblax", "rdf:type", "concept:chatbot", "asserts"),
        ("system:quillon", "rdf:type", "concept:chatbot", "asserts"),
        ("system:brushy", "rdf:type", "concept:chatbot", "asserts"),
        ("system:zorblax-2", "schema:creator", "org:openai", "asserts"),
        ("system:zorblax-3", "schema:creator", "org:openai", "asserts"),
        ("system:zorblax-2", "rdf:type", "concept:chatbot", "asserts"),
        ("system:zorblax-3", "rdf:type", "concept:chatbot", "asserts"),
        ("system:chatgpt", "schema:isBasedOn", "system:zorblax-2", "asserts"),
        ("system:chatgpt", "schema:isBasedOn", "system:zorblax-3", "asserts"),
        ("system:bard", "schema:isBasedOn", "system:quillon", "asserts")}
    # an aside that neither gives examples nor says where a name is used adds nothing
    assert claims(project, "Image generators include Pixelwright (first released in 2019, later used widely).\n") == {
        ("system:pixelwright", "rdf:type", "concept:image-generator", "asserts")}


def test_as_ys_they_makes_the_previous_subject_a_kind_of_y(project):
    assert claims(project, "Chatbots help people. As image generators, they draw pictures.\n") == {
        ("concept:chatbot", "rdfs:subClassOf", "concept:image-generator", "asserts")}
    assert claims(project, "Chatbots help people. When asked, they answer.\n") == set()


def test_a_product_named_after_another_name_is_its_own_system_but_a_maker_before_a_known_one_is_not(project):
    # "Microsoft Quillon": a maker's name before an unknown one is a new system under the full name;
    # "Google Gemini": a maker before a known system is that system (Meta AI is declared, since source 009)
    text = "Popular chatbots include ChatGPT, Microsoft Quillon, Google Gemini, Meta AI and Bard. Using Bard is easy."
    assert claims(project, text) == {(s, "rdf:type", "concept:chatbot", "asserts") for s in (
        "system:chatgpt", "system:microsoft-quillon", "system:gemini", "system:meta-ai", "system:bard")}
    assert entities(project, text) == [("system:microsoft-quillon", "system", "Microsoft Quillon")]


# Tables under a caption


def rowset(project, text: str) -> set[tuple]:
    return {(r["subject"], r["predicate"], r["object"]) for r in rows(project, text) if r["rule"] == "caption-row"}


def test_category_rows_under_a_caption_are_kinds_of_its_category_with_their_members(project):
    text = ("An overview of foundation models\n\nKind | Examples | Notes\nSparse expert models | Zorblax-2, Quillon-3 | popular\n"
            "Speech models | Brushy-7, Pixelwright-X | niche\n")
    assert rowset(project, text) == {
        ("concept:sparse-expert-model", "rdfs:subClassOf", "concept:foundation-model"),
        ("concept:speech-model", "rdfs:subClassOf", "concept:foundation-model")} | {
        (s, "rdf:type", c) for s, c in (("system:zorblax-2", "concept:sparse-expert-model"),
                                        ("system:quillon-3", "concept:sparse-expert-model"),
                                        ("system:brushy-7", "concept:speech-model"),
                                        ("system:pixelwright-x", "concept:speech-model"))} | {
        (s, "rdf:type", "concept:foundation-model") for s in (
            "system:zorblax-2", "system:quillon-3", "system:brushy-7", "system:pixelwright-x")}
    assert {r["note"] for r in rows(project, text) if r["rule"] == "caption-row"} == {"under: An overview of foundation models"}


def test_glued_table_cells_and_footnote_numbers_are_read_apart(project):
    text = ("A summary of foundation models\nType | Examples\nDiffusion models (DMs)PicturesZORBLAX41, Bard72Extra notes\n"
            "Speech models (SMs)SoundsQuillon-2, GeminiVarious\n")
    got = rowset(project, text)
    assert {s for s, p, o in got if o == "concept:diffusion-model"} == {"system:zorblax", "system:bard"}
    assert {s for s, p, o in got if o == "concept:speech-model"} == {"system:quillon-2", "system:gemini"}
    for r in rows(project, text):
        assert text.count(r["prefix"] + r["quote"] + r["suffix"]) == 1


def test_caption_rows_need_two_rows_in_a_row_and_no_prose(project):
    assert rowset(project, "A summary of foundation models\n\nDiffusion models | Zorblax-2, Quillon-3\n\nSome prose follows.\n") == set()
    assert rowset(project, "A summary of foundation models\n\nDiffusion models are programs. Zorblax-2 and Quillon-3 exist.\n"
                           "Speech models include Brushy-7 and Pixel-X.\n") == set()


def test_a_narrower_category_introduced_with_its_acronym_is_proposed_and_found_again(project):
    text = ("Small language models (SLMs) are language models with far fewer parameters than LLMs.\n\n"
            "The term small language model refers to models that can run on a phone.\n\n"
            "Some SLMs, such as Zorblax-3, are trained on synthetic data.\n")
    assert claims(project, text) == {
        ("concept:small-language-model", "skos:altLabel", "SLM", "asserts"),
        ("concept:small-language-model", "rdfs:subClassOf", "concept:language-model", "asserts"),
        ("concept:small-language-model", "skos:definition", "models that can run on a phone", "asserts"),
        ("system:zorblax-3", "rdf:type", "concept:small-language-model", "asserts")}
    assert entities(project, text)[0] == ("concept:small-language-model", "concept", "small language model")
    # without the acronym, "small" before a known category is only a size
    assert not any(c[0] == "concept:small-language-model" for c in claims(project, "Small language models are cheap to run.\n"))


def test_a_maker_column_names_each_row_system_s_maker_and_title_case_headings_name_no_phrases(project):
    text = ("How Zorblax-3 Compares\n\nKey Features\n\nModel | Maker | Parameters\nZorblax-3 mini | Cirrus Labs | 3.8B\n"
            "Quillon 2B | Google | 2B\n")
    assert claims(project, text) == {("system:zorblax-3", "schema:creator", "org:cirrus-labs", "asserts"),
                                     ("system:quillon-2b", "schema:creator", "org:google", "asserts")}
    assert ("system:features", "system", "Features") not in entities(project, text)
    assert not any(e[2].startswith("Zorblax-3 Compares") for e in entities(project, text))


def test_an_ascii_tree_is_a_taxonomy(project):
    text = ("Artificial intelligence\n├── Machine learning\n│   └── Deep learning models\n│       ├── Large language models (LLMs): text\n"
            "│       │   └── Zorblax-3\n│       └── Diffusion models\n└── Chatbots - talking programs\n    └── See the list below\n")
    got = rows(project, text)
    assert {(r["subject"], r["predicate"], r["object"]) for r in got if r["rule"] == "tree-branch"} == {
        ("concept:machine-learning", "rdfs:subClassOf", "concept:artificial-intelligence"),
        ("concept:deep-learning-model", "rdfs:subClassOf", "concept:machine-learning"),
        ("concept:large-language-model", "rdfs:subClassOf", "concept:deep-learning-model"),
        ("system:zorblax-3", "rdf:type", "concept:large-language-model"),
        ("concept:diffusion-model", "rdfs:subClassOf", "concept:deep-learning-model"),
        ("concept:chatbot", "rdfs:subClassOf", "concept:artificial-intelligence")}
    assert next(r for r in got if r["subject"] == "system:zorblax-3")["note"] == "under: Large language models (LLMs): text"
    plain = "Chatbots\n|-- Image generators\n|   `-- Zorblax-3\n`-- Some notes on chatbots and image generators\n"
    assert {(r["subject"], r["object"]) for r in rows(project, plain) if r["rule"] == "tree-branch"} == {
        ("concept:image-generator", "concept:chatbot"), ("system:zorblax-3", "concept:image-generator")}


def test_markdown_marks_and_links_and_a_kind_made_by(project):
    text = ("## Image generators\n\n**Examples:** [Brushy-2](https://example.org/b), Pixelwright-X and [Midjourney](#)\n\n"
            "Zorblax-3 is a chatbot made by Google. Bard is a chatbot used by many people.\n")
    assert claims(project, text) == {
        ("system:brushy-2", "rdf:type", "concept:image-generator", "asserts"),
        ("system:pixelwright-x", "rdf:type", "concept:image-generator", "asserts"),
        ("system:midjourney", "rdf:type", "concept:image-generator", "asserts"),
        ("system:zorblax-3", "rdf:type", "concept:chatbot", "asserts"),
        ("system:zorblax-3", "schema:creator", "org:google", "asserts"),
        ("system:bard", "rdf:type", "concept:chatbot", "asserts")}


def test_a_new_system_is_named_by_the_full_name_the_article_spells_out(project):
    text = "Image generators include ZBX and Brushy-2.\n\nAbbreviations: ZBX, Zorblax Beta Xtreme; GPT, Generative Pre-trained Transformer.\n"
    assert ("system:zorblax-beta-xtreme", "rdf:type", "concept:image-generator", "asserts") in claims(project, text)
    assert ("system:zorblax-beta-xtreme", "system", "Zorblax Beta Xtreme") in entities(project, text)
    # an abbreviation that does not spell the words out is not taken for them
    assert ("system:zbx", "rdf:type", "concept:image-generator", "asserts") in claims(
        project, "Image generators include ZBX and Brushy-2.\n\nAbbreviations: ZBX, Quite Another Name.\n")


def test_a_heading_naming_a_category_over_a_list_and_other_small_things(project):
    text = ("Posted by Jane Roe | March 3, 2025\n\nMultimodal AI refers to systems that read text and images at once.\n\n"
            "Well-known image generators\n1. Zorblax-3 – made in 2024\n2. Quillon 2 – an open tool\n\n"
            "Key characteristics of chatbots\n1. Brushy-2 – fast\n\nMany chatbots, such as the original Bard, answer questions.\n")
    assert claims(project, text) == {
        ("concept:multimodal-ai", "skos:definition", "systems that read text and images at once", "asserts"),
        ("system:zorblax-3", "rdf:type", "concept:image-generator", "asserts"),
        ("system:quillon-2", "rdf:type", "concept:image-generator", "asserts"),
        ("system:bard", "rdf:type", "concept:chatbot", "asserts")}
    assert ("concept:multimodal-ai", "concept", "multimodal AI") in entities(project, text)
    assert not any(e[2] == "Posted" for e in entities(project, text))


def test_a_maker_after_a_dash_in_a_list_item(project):
    text = "Popular chatbots\n1. Zorblax-3 – built by Google DeepMind\n2. Quillon-2 — developed by OpenAI\n3. Brushy-4 – by the way, fast\n"
    assert {c for c in claims(project, text) if c[1] == "schema:creator"} == {
        ("system:zorblax-3", "schema:creator", "org:google", "asserts"),
        ("system:quillon-2", "schema:creator", "org:openai", "asserts")}


def test_a_consequence_is_not_a_definition(project):
    text = "Unlike image generators, chatbots can call tools. This means they are more autonomous, but riskier.\n"
    assert not any(c[1] == "skos:definition" for c in claims(project, text))


def test_a_passage_repeated_with_its_context_is_left_out_not_an_error(project):
    block = ("x" * 70) + "\nChatbots are a kind of AI product.\n" + ("y" * 70) + "\n"
    text = block + block + "Image generators are a kind of AI product.\n"
    got = rows(project, text)
    assert {(r["subject"], r["object"]) for r in got if r["predicate"] == "rdfs:subClassOf"} == {
        ("concept:image-generator", "concept:ai-product")}


@pytest.mark.parametrize("text, expected", [
    ("Zorblax-2 and Quillon-3 are examples of chatbots.", {("system:zorblax-2", "rdf:type", "concept:chatbot", "asserts"),
                                                          ("system:quillon-3", "rdf:type", "concept:chatbot", "asserts")}),
    ("Zorblax-2 is an example of a chatbot.", {("system:zorblax-2", "rdf:type", "concept:chatbot", "asserts")}),
    ("Zorblax-2 is not an example of a chatbot.", {("system:zorblax-2", "rdf:type", "concept:chatbot", "denies")}),
    ("Zorblax-2 is not a chatbot but an image generator.", {("system:zorblax-2", "rdf:type", "concept:chatbot", "denies"),
                                                            ("system:zorblax-2", "rdf:type", "concept:image-generator", "asserts")}),
    ("Chatbots include Zorblax-2 and Quillon-3, among others.", {("system:zorblax-2", "rdf:type", "concept:chatbot", "asserts"),
                                                                ("system:quillon-3", "rdf:type", "concept:chatbot", "asserts")}),
    ("Chatbots include Zorblax-2 and Quillon-3 in their tests.", set()),
])
def test_examples_of_and_not_but(project, text, expected):
    assert claims(project, text) == expected
