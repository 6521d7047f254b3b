import pytest

from models.metrics import average_precision, binary_metrics, calibrate_threshold


def test_calibration_reaches_target_precision_with_most_recall():
    y = [1, 1, 1, 0, 1, 0, 0, 0]
    s = [0.9, 0.8, 0.7, 0.65, 0.6, 0.4, 0.3, 0.1]
    cal = calibrate_threshold(y, s, target_precision=0.8)
    assert cal["threshold"] == 0.6
    assert cal["val_precision"] == pytest.approx(0.8)
    assert cal["val_recall"] == 1.0


def test_calibration_falls_back_to_best_f1_and_says_so():
    cal = calibrate_threshold([0, 1, 0, 1], [0.9, 0.8, 0.7, 0.6], target_precision=0.99)
    assert "best F1" in cal["rule"]


def test_metrics_and_pr_auc():
    m = binary_metrics([1, 0, 1, 0], [0.9, 0.2, 0.4, 0.6], threshold=0.5)
    assert (m["precision"], m["recall"], m["f1"]) == (0.5, 0.5, 0.5)
    assert average_precision([1, 1, 0], [0.9, 0.8, 0.1]) == 1.0
