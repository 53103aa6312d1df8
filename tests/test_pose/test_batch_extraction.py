"""Which pose files a rerun keeps: complete ones, at the rate asked for."""
import json

from stgcn_reg.pose.batch_extraction import already_done


def test_a_rerun_keeps_only_complete_files_of_the_same_rate(tmp_path):
    at_30 = tmp_path / 'a.json'
    at_30.write_text(json.dumps(dict(data=[], fps=30.0)))
    old = tmp_path / 'b.json'  # written without a rate
    old.write_text(json.dumps(dict(data=[])))
    broken = tmp_path / 'c.json'
    broken.write_text('{"data": [')
    assert already_done(str(at_30)) and already_done(str(at_30), 30.0)
    assert not already_done(str(at_30), 25.0)  # another --fps: made again
    assert already_done(str(old)) and not already_done(str(old), 30.0)
    assert not already_done(str(broken))
    assert not already_done(str(tmp_path / 'missing.json'), 30.0)
