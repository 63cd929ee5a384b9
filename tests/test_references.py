import numpy as np
import pytest

from actionbank.references import AffordanceRef, HandleRef, ReferenceSyntaxError, Slice, is_reference, parse_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("env.affordance_datas['cup_pose'][:2,3]", AffordanceRef("cup_pose", ((Slice(None, 2), 3),))),
        ("env.affordance_datas['aim'][0]", AffordanceRef("aim", ((0,),))),
        (
            'env.affordance_datas["a b"][-1][::2, 1:3]',
            AffordanceRef("a b", ((-1,), (Slice(None, None, 2), Slice(1, 3)))),
        ),
        ("  env.robot.compute_ik ", HandleRef(("robot", "compute_ik"))),
        ("env.robot", HandleRef(("robot",))),
    ],
)
def test_references_parse_into_objects(text, expected):
    assert parse_reference(text) == expected


def test_the_canonical_text_parses_back_to_the_same_reference():
    reference = parse_reference("env.affordance_datas['a'][ 1 : , -2 ]")
    assert parse_reference(str(reference)) == reference


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("env.__class__", "not allowed"),
        ("env.robot.__init__", "not allowed"),
        ("env.os.system", "not an allowed attribute"),
        ("env.affordance_datas['a'](1)", "unexpected character '('"),
        ("env.affordance_datas['a'][1+2]", "unexpected character '+'"),
        ("env.affordance_datas", "must be followed by a quoted key"),
        ("env.affordance_datas[0]", "one quoted key"),
        ("env.affordance_datas['a'].shape", "unexpected '.'"),
        ("env.affordance_datas['a'][::0]", "step cannot be zero"),
        ("env", "bare 'env'"),
        ("env.affordance_datas['a'][", "expected an integer"),
        ("env." + "x" * 600, "longer than"),
    ],
)
def test_anything_outside_the_grammar_is_refused_with_a_reason(text, reason):
    with pytest.raises(ReferenceSyntaxError, match=reason.replace("(", r"\(").replace("+", r"\+")):
        parse_reference(text)


def test_only_strings_starting_with_env_are_references():
    assert is_reference("env.robot") and is_reference("env['x']")
    assert not is_reference("environment") and not is_reference(3) and not is_reference("x.env")


def test_resolution_indexes_the_stored_value_as_written():
    pose = np.arange(16).reshape(4, 4)
    assert parse_reference("env.affordance_datas['cup_pose'][:2, 3]").resolve({"cup_pose": pose}).tolist() == [3, 7]
    assert parse_reference("env.affordance_datas['q'][0]").resolve({"q": [5, 6]}) == 5
    with pytest.raises(KeyError):
        parse_reference("env.affordance_datas['missing']").resolve({})
