"""Spark for Experiment 4: a local session in the worker, and the harness code around the student's pipeline.

One session per worker (the worker is the only process that runs student
code, so the session lives there), started once with the UI off and logs
quiet; its start time is measured and reported apart from the work. Tables
arrive from the parent as pandas frames and become Spark DataFrames here;
predictions go back as plain arrays for the parent to score.
"""

from __future__ import annotations

import os
import shutil
import time

import numpy as np

_session = None
_started_seconds = 0.0

JAVA_HINT = ("Spark needs a Java runtime (17) and none was found on PATH. Install one, e.g. `sudo apt-get "
             "install openjdk-17-jre-headless` on Debian/Ubuntu, or set JAVA_HOME.")


def java_available() -> bool:
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


def session(threads: int = 2):
    """The worker's Spark session, started on first use."""
    global _session, _started_seconds
    if _session is None:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no network interface lookups
        from pyspark.sql import SparkSession

        started = time.perf_counter()
        _session = (SparkSession.builder.master(f"local[{threads}]").appName("labmark")
                    .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", str(2 * threads))
                    .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                    .config("spark.driver.memory", "2g").getOrCreate())
        _session.sparkContext.setLogLevel("ERROR")
        _started_seconds = time.perf_counter() - started
    return _session


# Variables that tell pyspark where Java, Spark and Python are; a notebook's setup lines often set them.
LOCATIONS = ("JAVA_HOME", "SPARK_HOME", "HADOOP_HOME", "PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")


def environment(module) -> dict:
    """Each of LOCATIONS set in the worker's environment now: its value, and whether that path exists here."""
    return {name: {"value": value[:300], "exists": os.path.exists(value)}
            for name in LOCATIONS if (value := os.environ.get(name))}


def start(module, threads: int) -> float:
    """Start the session (harness op): returns the seconds the JVM and session took."""
    session(threads)
    return _started_seconds


def dataframe(module, table, threads: int):
    """A Spark DataFrame of a pandas table (kept in the worker; the parent gets a handle)."""
    return session(threads).createDataFrame(table)


def stages(module, pipeline) -> list[str]:
    """The class names of an (unfitted or fitted) pipeline's stages, nested pipelines flattened."""
    out = []
    for stage in getattr(pipeline, "getStages", lambda: getattr(pipeline, "stages", []))():
        nested = getattr(stage, "getStages", None) or (lambda: getattr(stage, "stages", None))
        inner = nested()
        out.extend(stages(module, stage) if inner else [type(stage).__name__])
    return out


def kmeans_cost(module, pipeline, frame, k: int, seed: int, iterations: int) -> float:
    """K-means training cost on the features of `pipeline` (the submission's build_pipeline(), unfitted)
    fitted to `frame`: the grader's own figure to set beside the costs kmeans_costs() reports."""
    from pyspark.ml.clustering import KMeans

    features = pipeline.fit(frame).transform(frame).select("features")
    return float(KMeans(featuresCol="features", k=int(k), maxIter=int(iterations), seed=int(seed))
                 .fit(features).summary.trainingCost)


def predictions(module, model, frame, column: str) -> np.ndarray:
    """model.transform(frame)[column] as a float array, in the frame's row order."""
    rows = model.transform(frame).select(column).toPandas()[column]
    if len(rows) and hasattr(rows.iloc[0], "toArray"):  # a probability vector: keep P(class 1)
        return np.array([v.toArray()[1] for v in rows], dtype=float)
    return rows.to_numpy(dtype=float)


def stop(module) -> None:
    global _session
    if _session is not None:
        _session.stop()
        _session = None
