"""Defect: K-means on the raw numeric columns, and every k reports the last model's cost.

The loop fits one model per k, but the costs are read after the loop, from
`model`, which by then is the k=6 model: five equal numbers, so the cost never
falls. (The clustering itself uses the unscaled numeric columns, so it splits
customers by income alone; no check can see that once the costs are wrong.)
Everything else is the reference.
"""
from reference_solution import build_pipeline, train_classifier, train_regressor  # noqa: F401 (the interface)
from reference_solution import NUMERIC


def kmeans_costs(train, ks, budget):
    from pyspark.ml.clustering import KMeans
    from pyspark.ml.feature import VectorAssembler

    raw = VectorAssembler(inputCols=list(NUMERIC), outputCol="raw").transform(train).select("raw").cache()
    for k in ks:
        model = KMeans(featuresCol="raw", k=int(k), seed=budget.seed).fit(raw)
    costs = [model.summary.trainingCost for k in ks]  # one line too far out: the last model's cost, every time
    raw.unpersist()
    return costs
