"""The cascade's screen: chosen for recall of the full model's flags, never above a threshold."""
import numpy as np

from models.cascade import MIN_SCREEN, cap_screen, cascade_scores, choose_screen, screen_recall, screened

LABELS = ["hoax", "provocation"]


def test_screen_passes_the_target_share_of_full_flags():
    rng = np.random.default_rng(0)
    fast = rng.random((1000, 2)).astype(np.float32)
    flags = np.zeros((1000, 2), dtype=bool)
    flags[:200, 0] = True  # 200 hoax flags with fast scores spread over [0, 1)
    screen = choose_screen(fast, flags, LABELS, target_recall=0.99)
    passed = fast[:200, 0] >= screen["hoax"]
    assert passed.mean() >= 0.99
    # and not lower than needed: the next flagged score up would miss more than 1%
    assert (fast[:200, 0] < screen["hoax"]).sum() <= 2
    assert screen["provocation"] == MIN_SCREEN  # no provocation flags: the floor


def test_cap_keeps_every_screen_under_its_threshold():
    assert cap_screen({"hoax": 0.7, "provocation": 0.1}, {"hoax": 0.5, "provocation": 0.6}) == {
        "hoax": 0.5, "provocation": 0.1}


def test_cascade_takes_full_scores_only_where_screened():
    fast = np.array([[0.9, 0.0], [0.01, 0.02], [0.0, 0.5]], dtype=np.float32)
    asked = []

    def full(texts):
        asked.extend(texts)
        return np.full((len(texts), 2), 0.77, dtype=np.float32)

    scores, passed = cascade_scores(lambda texts: fast, full, {"hoax": 0.2, "provocation": 0.3}, LABELS,
                                    ["a", "b", "c"])
    assert asked == ["a", "c"]
    assert passed.tolist() == [True, False, True]
    assert scores[1].tolist() == fast[1].tolist()
    assert np.allclose(scores[[0, 2]], 0.77)


def test_cascade_mixes_the_second_stage_with_the_fast_scores():
    fast = np.array([[0.9, 0.1]], dtype=np.float32)
    scores, _ = cascade_scores(lambda t: fast, lambda t: np.array([[0.5, 0.5]], dtype=np.float32),
                               {"hoax": 0.2, "provocation": 0.3}, LABELS, ["a"], weight=0.25)
    assert np.allclose(scores, [[0.25 * 0.5 + 0.75 * 0.9, 0.25 * 0.5 + 0.75 * 0.1]])


def test_recall_report_counts_missed_flags():
    fast = np.array([[0.9, 0.0], [0.05, 0.0], [0.0, 0.0]], dtype=np.float32)
    full = np.array([[0.95, 0.0], [0.95, 0.0], [0.1, 0.0]], dtype=np.float32)
    report = screen_recall(fast, full, {"hoax": 0.5, "provocation": 0.5}, {"hoax": 0.1, "provocation": 0.1}, LABELS)
    assert report["hoax"] == {"full_flags": 2, "recall": 0.5}
    assert report["provocation"]["recall"] is None
    assert report["passed_share"] == round(1 / 3, 4)
    assert screened(fast, {"hoax": 0.1, "provocation": 0.1}, LABELS).tolist() == [True, False, False]
