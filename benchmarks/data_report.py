"""The data benchmark's results (:func:`.data_benchmark.run_data_benchmark`)
as a plain-text table."""


def format_data_table(results: dict) -> str:
    """The data benchmark's results as a plain-text table."""
    env = results['environment']
    gendata = results['ntu_gendata']
    lines = [
        f'{env["cpu_model"]}, {env["usable_cpus"]} of {env["cpu_count"]} '
        f'CPUs; torch {env["torch"]}, numpy {env["numpy"]}, h5py '
        f'{env["h5py"]}; {env["date"]}',
        '',
        f'ntu_gendata (xsub, {gendata["workers"]} workers, '
        f'{gendata["sample_files"]} {gendata["source"]} files copied)',
        f'{"files":>8} {"files/s":>9} {"wall s":>8} {"cores":>6} '
        f'{"main MiB":>9} {"anon MiB":>9} {"worker MiB":>11}',
    ]
    for run in gendata['runs']:
        lines.append(
            f'{run["files"]:>8} {run["files_per_s"]:>9.1f} '
            f'{run["wall_s"]:>8.2f} {run["busy_cores"]:>6.2f} '
            f'{run["main_peak_rss_mb"]:>9.1f} '
            f'{run["main_peak_anon_mb"] or 0:>9.1f} '
            f'{run["workers_peak_rss_mb"]:>11.1f}'
        )
    settings = results['settings']
    lines += [
        '',
        f'feeders (Kinetics-shaped, {settings["feeder_samples"]} samples, '
        'RandomChoose(150) + RandomMove; DataLoader batch '
        f'{settings["batch_size"]}, {settings["loader_workers"]} workers)',
        f'{"feeder":<22} {"1 proc/s":>9} {"loader/s":>9} {"main MiB":>9} '
        f'{"anon MiB":>9} {"worker MiB":>11}',
    ]
    for name, feeder in results['feeders'].items():
        lines.append(
            f'{name:<22} {feeder["single_samples_per_s"]:>9.1f} '
            f'{feeder["loader_samples_per_s"]:>9.1f} '
            f'{feeder["main_peak_rss_mb"]:>9.1f} '
            f'{feeder["main_peak_anon_mb"] or 0:>9.1f} '
            f'{feeder["workers_peak_rss_mb"]:>11.1f}'
        )
    lines += [
        '',
        'cores: CPU seconds per second of gendata and its workers',
        'main MiB: peak RSS of the measuring process, mapped output pages '
        'included',
        'anon MiB: its peak anonymous memory (RssAnon: heap and arrays)',
        'worker MiB: the largest peak RSS of its worker processes',
    ]
    return '\n'.join(lines)
