"""The change log's nightly check."""

from vanguard.audit import tasks


def test_the_nightly_chain_check_passes_on_an_intact_log_and_publishes_a_checkpoint(
    db, settings, tmp_path
):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    assert tasks.verify_change_log.call_local() is True
    assert '"seq": 0' in settings.AUDIT_CHECKPOINT_FILE.read_text()
