"""Head-noun lexicon: longest match after a number, fact order before it, change and correction markers."""

from assistant.understand import lexicon


def test_longest_noun_after_a_number_wins() -> None:
    heads = lexicon.default()
    assert heads.after("工会会员有几个") == ("工会会员", "members")  # not the organisation 工会
    assert heads.after("女会员") == ("女会员", "women_count")
    assert heads.after("部门") == ("部门", lexicon.THING)
    assert heads.after("张三") is None


def test_before_a_number_facts_are_tried_in_order() -> None:
    heads = lexicon.default()
    assert heads.before("女会员人数是") == ("女会员", "women_count")
    assert heads.before("会员人数是") == ("会员", "members")
    assert heads.before("公司有") == ("公司", "staff")
    assert heads.before("会员人数是三十，职工总数是") is not None
    assert heads.before("我们打算") is None


def test_changes_corrections_and_units_are_data() -> None:
    heads = lexicon.default()
    assert heads.change("上个月退会了") == -1
    assert heads.change("今年新发展了") == 1
    assert heads.change("原来有") == 0
    assert heads.corrects("不对，我说错了")
    assert heads.several_units("我们两家所")
    assert not heads.several_units("我们所")


def test_kin_words_take_the_prefix_qin() -> None:
    import re

    rx = re.compile(lexicon.default().kin_pattern())
    for word in ("亲爹", "弟弟", "亲弟弟", "小舅子", "老婆"):
        assert rx.fullmatch(word), word
