"""Label pickles load plain data and refuse code."""
import os
import pickle
from collections import OrderedDict

import numpy as np
import pytest

from stgcn_reg.utils import UnsafePickleError, safe_load_pickle


def dump(path, obj, protocol=pickle.HIGHEST_PROTOCOL):
    with open(path, 'wb') as file:
        pickle.dump(obj, file, protocol=protocol)
    return str(path)


@pytest.mark.parametrize('protocol', [2, 4, 5])
def test_plain_data_round_trips(tmp_path, protocol):
    obj = (['S001C001P001R001A001', 'b'],
           [np.int64(3), 4, 2.5, np.float32(1.5)],
           OrderedDict(a=np.arange(6, dtype=np.float32).reshape(2, 3)),
           {1, 2}, b'raw')
    loaded = safe_load_pickle(dump(tmp_path / 'x.pkl', obj, protocol))
    assert loaded[0] == obj[0]
    assert loaded[1] == obj[1]
    np.testing.assert_array_equal(loaded[2]['a'], obj[2]['a'])
    assert loaded[3] == {1, 2} and loaded[4] == b'raw'


class Exploit:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


def test_os_system_is_refused_with_the_file_name(tmp_path):
    marker = tmp_path / 'pwned'
    path = dump(tmp_path / 'evil.pkl', (['a'], [Exploit(marker)]))
    with pytest.raises(UnsafePickleError, match=r"evil.pkl.*system"):
        safe_load_pickle(path)
    assert not marker.exists()


def test_custom_classes_are_refused(tmp_path):
    path = dump(tmp_path / 'obj.pkl', Exploit('x').__dict__ and [Exploit])
    with pytest.raises(UnsafePickleError, match='Exploit'):
        safe_load_pickle(path)


def test_truncated_file_is_a_clear_error(tmp_path):
    path = tmp_path / 'cut.pkl'
    path.write_bytes(pickle.dumps((['a'] * 100, list(range(100))))[:50])
    with pytest.raises(ValueError, match='cut.pkl'):
        safe_load_pickle(str(path))
