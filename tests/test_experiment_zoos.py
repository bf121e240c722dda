"""Each experiment's broken submissions lose exactly the marks of the checks that should catch them.

Every zoo (tests/zoo_expNN/<defect>/) is graded in one bench session; a member
must fail precisely its expected checks, each with a message that names the
problem, and pass everything else. Speed checks are left out: they compare
with the reference on a shared machine, and no defect here is about speed.

Most members are the reference solution with one defect: they import the rest
from `reference_solution`, a copy of the experiment's reference module that
the test puts beside each member, the way a student would copy course code
into their folder (the reference itself is out of a worker's reach).
"""

from __future__ import annotations

import shutil

import pytest

from reference import EXPERIMENTS, module_path

from conftest import REPO, checks_of, run_bench

pytestmark = pytest.mark.e2e  # whole bench sessions: not in the fast tier

# experiment -> (extra bench args, {member: {check that fails: words its message must contain}})
ZOOS = {
    "exp08": ([], {
        "shap_is_feature_importance": {
            "shap_values_add_up_to_the_prediction[breast_cancer]": "differ from the model's predicted probability",
            "shap_values_add_up_to_the_prediction[drivers]": "global feature importances"},
        "shap_log_odds": {
            "shap_values_add_up_to_the_prediction[breast_cancer]": "log-odds",
            "shap_values_add_up_to_the_prediction[drivers]": "log-odds"},
        "lime_unmapped": {"lime_ranks_the_drivers_on_top": "mapped back to feature indices"},
        "random_explanations": {"shap_ranks_the_drivers_on_top": "the label is driven by features",
                                "lime_ranks_the_drivers_on_top": "the label is driven by"},
    }),
    "exp07": ([], {
        "wrong_marginal": {"weights_follow_the_formula": "a marginal taken over the wrong column",
                           "weights_equal_aif360_reweighing": "differ from AIF360's Reweighing"},
        "ignores_weights": {"mitigation_moves_fairness_towards_parity": "sample_weight"},
        "swapped_groups": {"weights_follow_the_formula": "wrong column or group",
                           "weights_equal_aif360_reweighing": "differ from AIF360's Reweighing",
                           "mitigation_moves_fairness_towards_parity": "not closer to 1"},
    }),
    "exp09": ([], {
        "random_actions": {"greedy_return": "what random actions get"},
        "not_greedy": {"greedy_return": "mean greedy return over 100 unseen episodes"},
        "ignores_env": {"trains_within_budget": "never stepped the environment"},
        "bad_action": {"greedy_return": "act() returned action 2"},
    }),
    "exp02": (["--quick"], {  # quick: the unseeded member trains for real, 90 s rather than 240
        "copies_training_images": {"samples_are_not_copies_of_training_images": "memorised training images"},
        "one_image_repeated": {"frechet_distance": "nearly all the same image",
                               "class_coverage": "nearly all the same image"},
        "pure_noise": {"frechet_distance": "look like noise", "class_coverage": "look like noise"},
        "unseeded": {"same_seed_same_images": "different images for the same seed"},
    }),
    "exp03": ([], {
        "keeps_digits": {"preprocess_output_is_lowercase_letters_and_single_spaces": "expected only letters"},
        "not_idempotent": {"preprocess_is_idempotent": "cleaning clean text changes nothing"},
        "crashes_on_unicode": {"preprocess_handles_empty_and_any_unicode": "raised IndexError"},
        "constant_predictions": {"model[decision_tree]": "predicts class 0 for 100% of the texts"},
    }),
    "exp04": ([], {
        "no_scaling": {"pipeline_has_the_stages_the_lab_asks_for": "it lacks a scaler"},
        "kmeans_unscaled_wrong_costs": {"kmeans_cost_falls_as_k_grows": "K-means cost did not fall"},
        "collects_to_driver": {"cost_grows_at_most_linearly": "Training on twice the rows took"},
    }),
    "exp05": (["--quick"], {  # quick: bad_attention trains the reference for 75 s rather than 240
        "copies_source": {"translation_quality[bleu]": "English input unchanged",
                          "translation_quality[chrf]": "English input unchanged"},
        "empty_strings": {"translation_quality[bleu]": "Most outputs are empty",
                          "translation_quality[chrf]": "Most outputs are empty"},
        "never_stops": {"decoding_stops": "no maximum length",
                        "empty_and_very_long_inputs": "(timeout: translate() did not finish",
                        "translation_quality[bleu]": "(timeout: translate() on the test sentences did not return",
                        "translation_quality[chrf]": "(timeout: translate() on the test sentences did not return"},
        "bad_attention": {"attention_rows_are_distributions": "summing to 1"},
    }),
    "exp10": ([], {
        "laplace_with_gaussian_scale": {"laplace_noise_has_the_right_distribution": "not Laplace with scale"},
        "gaussian_with_laplace_noise": {"gaussian_noise_has_the_right_distribution": "not Gaussian with sigma"},
        "claims_target_epsilon": {"claimed_epsilon_matches_the_accountant[1.0]": "accountant gives",
                                  "claimed_epsilon_matches_the_accountant[8.0]": "accountant gives"},
    }),
}


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    cache = {}

    def graded(experiment: str) -> dict:
        if experiment not in cache:
            extra, _ = ZOOS[experiment]
            tmp = tmp_path_factory.mktemp(experiment)
            zoo = shutil.copytree(REPO / "tests" / f"zoo_{experiment}", tmp / "zoo")
            for member in zoo.iterdir():
                shutil.copyfile(module_path(EXPERIMENTS[experiment]), member / "reference_solution.py")
            _, cache[experiment] = run_bench(tmp, "-k", experiment, "-m", "not speed", "--submissions-dir",
                                             str(zoo), "--submission", "all", "--seed", "1", *extra)
        return cache[experiment]
    return graded


@pytest.mark.parametrize("experiment, member", [(e, m) for e, (_, members) in ZOOS.items() for m in members])
def test_member_fails_exactly_its_checks(records, experiment, member):
    expected = ZOOS[experiment][1][member]
    checks = checks_of(records(experiment), member, experiment)
    failed = {name for name, c in checks.items() if c["status"] != "pass"}
    assert failed == set(expected), {n: checks[n]["message"][:200] for n in failed ^ set(expected) if n in checks}
    for name, words in expected.items():
        assert checks[name]["score"] == 0 and words in checks[name]["message"], checks[name]["message"]
