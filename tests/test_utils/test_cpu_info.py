"""The CPU's name, generation and flags from a /proc/cpuinfo text."""
from stgcn_reg.models.routes import route_cache
from stgcn_reg.utils import cpu_info
from stgcn_reg.utils.cpu_info import cpu_flags, cpu_generation, cpu_model

TWO_CPUS = ('processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n'
            'model\t\t: 2\nmodel name\t: AMD EPYC\nflags\t\t: fpu avx512f\n'
            '\nprocessor\t: 1\ncpu family\t: 25\nmodel\t\t: 1\n'
            'model name\t: Other\n')


def test_the_first_cpu_is_read(tmp_path):
    path = tmp_path / 'cpuinfo'
    path.write_text(TWO_CPUS)
    assert cpu_model(str(path)) == 'AMD EPYC'
    assert cpu_generation(str(path)) == 'family 26 model 2'
    assert cpu_flags(str(path)) == {'fpu', 'avx512f'}


def test_missing_fields_give_empty_values(tmp_path):
    path = tmp_path / 'cpuinfo'
    path.write_text('processor\t: 0\nmodel name\t: Some ARM\n')
    assert cpu_generation(str(path)) == ''
    assert cpu_generation(str(tmp_path / 'none')) == ''
    assert cpu_model(str(tmp_path / 'none')) == 'unknown'


def test_route_cache_file_names_the_generation(monkeypatch):
    # two generations sold under one name keep separate route choices
    names = set()
    for generation in ('family 25 model 17', 'family 26 model 2'):
        monkeypatch.setattr(cpu_info, 'cpu_model', lambda: 'AMD EPYC')
        monkeypatch.setattr(cpu_info, 'cpu_generation',
                            lambda g=generation: g)
        names.add(route_cache.machine_name())
    assert names == {'AMD-EPYC-family-25-model-17__torch-' +
                     route_cache.torch.__version__,
                     'AMD-EPYC-family-26-model-2__torch-' +
                     route_cache.torch.__version__}
