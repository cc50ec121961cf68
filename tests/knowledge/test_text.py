from bot.knowledge.text import letters_digits, number_in_text, split_sentences


def test_letters_digits_lets_curators_restore_lost_punctuation():
    assert letters_digits("Children's services (2014–17)") == letters_digits(
        "Childrens services (201417)"
    )
    assert letters_digits("multi-agency") == letters_digits("multiagency")


def test_numbers_are_found_as_digits_or_words():
    assert number_in_text(30000, "Approximately 30,000 children")
    assert number_in_text(7, "seven of 15 children arrested")
    assert number_in_text(15, "seven of 15 children arrested")
    assert number_in_text(0, "There were no permanent exclusions")
    assert number_in_text(38, "of whom 38% live out of the authority area")
    assert not number_in_text(8, "of whom 38% live out of the authority area")
    assert not number_in_text(12, "There are significant delays")


def test_sentences_split_before_a_capital_only():
    text = "Staff act quickly. A lack of capacity in the MASH has, e.g. delays. 88% of children."
    assert split_sentences(text) == [
        "Staff act quickly.",
        "A lack of capacity in the MASH has, e.g. delays.",
        "88% of children.",
    ]
