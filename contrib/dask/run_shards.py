#!/usr/bin/env python3
"""Run an agglo sweep or matrix as N shards on a Dask distributed cluster,
then merge the parts into the output of the unsharded run.

    python3 contrib/dask/run_shards.py --shards 8 --scheduler tcp://HOST:8786 \
        --out top.txt -- sweep --within-km 250 --top 50

    python3 contrib/dask/run_shards.py --shards 4 --local-workers 2 \
        --out m.csv -- road matrix --graph rg.gr --points pts.csv --format csv

Everything after `--` is the agglo command line of the unsharded run; each
shard task runs it with `--shard I/N --part -` added, in a worker, by calling
the agglo binary (so the binary and the input files must be at the same paths
on every worker). The part comes back to this process as the task's result
and is written to --parts-dir; `agglo merge` then runs here. With
--local-workers K a LocalCluster of K worker processes is started instead of
connecting to --scheduler. Dask does the scheduling, retries and transfers;
this script only builds the command lines.
"""

import argparse
import os
import subprocess
import sys
import tempfile


def run_shard(agglo, args, index, count, threads):
    """One task: `agglo ARGS --shard I/N --part -`; returns the part bytes."""
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    cmd = [agglo, *args, "--shard", f"{index}/{count}", "--part", "-"]
    p = subprocess.run(cmd, capture_output=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(
            f"shard {index}/{count} failed ({p.returncode}): {' '.join(cmd)}\n"
            + p.stderr.decode(errors="replace")
        )
    return index, p.stdout, p.stderr.decode(errors="replace")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shards", type=int, required=True, help="number of shards N")
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    where.add_argument(
        "--local-workers", type=int, help="start a LocalCluster of this many workers"
    )
    ap.add_argument("--agglo", default="agglo", help="path of the agglo binary")
    ap.add_argument("--threads", type=int, default=0,
                    help="RAYON_NUM_THREADS of each shard (0: agglo's default)")
    ap.add_argument("--parts-dir", help="keep the parts here (default: a temporary folder)")
    ap.add_argument("--out", default="-", help="merged output (default: stdout)")
    ap.add_argument("--geojson", help="sweep: the top candidates as GeoJSON lines")
    ap.add_argument("command", nargs=argparse.REMAINDER,
                    help="-- then the agglo arguments of the unsharded run")
    a = ap.parse_args(argv)
    args = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not args:
        ap.error("give the agglo command after --, e.g. -- sweep --top 20")
    if a.shards < 1:
        ap.error("--shards must be at least 1")

    # Imported here so that --help works without Dask.
    from dask.distributed import Client, LocalCluster

    if a.local_workers:
        cluster = LocalCluster(n_workers=a.local_workers, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster = None
        client = Client(a.scheduler)
    try:
        futures = [
            client.submit(run_shard, a.agglo, args, i, a.shards, a.threads,
                          key=f"agglo-shard-{i}-of-{a.shards}", pure=False)
            for i in range(1, a.shards + 1)
        ]
        results = client.gather(futures)
        workers = len(client.scheduler_info()["workers"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    tmp = None
    parts_dir = a.parts_dir
    if parts_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="agglo-parts-")
        parts_dir = tmp.name
    os.makedirs(parts_dir, exist_ok=True)
    paths = []
    for index, part, err in sorted(results):
        path = os.path.join(parts_dir, f"part-{index}-of-{a.shards}.csv")
        with open(path, "wb") as f:
            f.write(part)
        paths.append(path)
        for line in err.splitlines():
            print(f"[shard {index}/{a.shards}] {line}", file=sys.stderr)
    cmd = [a.agglo, "merge", *paths, "--out", a.out]
    if a.geojson:
        cmd += ["--geojson", a.geojson]
    rc = subprocess.run(cmd).returncode
    print(f"{a.shards} shards on {workers} Dask workers, merged with exit code {rc}",
          file=sys.stderr)
    if tmp is not None:
        tmp.cleanup()
    return rc


if __name__ == "__main__":
    sys.exit(main())
