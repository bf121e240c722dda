"""Defect: Colab's setup lines, left in graded code, point JAVA_HOME and SPARK_HOME at Colab's paths.

On Colab those lines follow an apt-get of Java 8 and a download of Spark 3.1.1; where submissions
are graded neither path exists, so Spark cannot start and every check that needs it fails. The
message must name the two variables and their lines as the cause, not the grader's own code.
The rest is the reference.
"""
import os

os.environ["JAVA_HOME"] = "/usr/lib/jvm/java-8-openjdk-amd64"
os.environ["SPARK_HOME"] = "/content/spark-3.1.1-bin-hadoop3.2"

from reference_solution import (  # noqa: F401
    build_pipeline,
    kmeans_costs,
    train_classifier,
    train_regressor,
)
