"""Defect: the pipeline has no scaler; the raw numeric columns go straight into the feature vector.

The stages check fails. The models barely notice: Spark's LogisticRegression
and LinearRegression standardize internally by default (standardization=True),
so AUC and R^2 stay at the reference's. K-means does not: on raw features the
distances are all income (tens of thousands against 0/1 one-hot columns), so
the clusters split customers by income alone and the costs are about 10^7 times
the reference's, though they still fall as k grows. Everything else is the
reference.
"""
from reference_solution import CATEGORICAL, LOGISTIC_ITERATIONS, NUMERIC, featurize, with_preprocessing


def build_pipeline(categorical, numeric):
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import OneHotEncoder, StringIndexer, VectorAssembler

    categorical, numeric = list(categorical), list(numeric)
    indexed = [f"{c}_index" for c in categorical]
    encoded = [f"{c}_onehot" for c in categorical]
    return Pipeline(stages=[
        StringIndexer(inputCols=categorical, outputCols=indexed, handleInvalid="keep"),
        OneHotEncoder(inputCols=indexed, outputCols=encoded, handleInvalid="keep"),
        VectorAssembler(inputCols=encoded + numeric, outputCol="features"),  # no scaler
    ])


def train_classifier(train, budget):
    from pyspark.ml.classification import LogisticRegression

    prep, features = featurize(train, "churn", build_pipeline(CATEGORICAL, NUMERIC))
    model = LogisticRegression(labelCol="churn", maxIter=LOGISTIC_ITERATIONS).fit(features)
    features.unpersist()
    return with_preprocessing(prep, model)


def train_regressor(train, budget):
    from pyspark.ml.regression import LinearRegression

    prep, features = featurize(train, "spend", build_pipeline(CATEGORICAL, NUMERIC))
    model = LinearRegression(labelCol="spend", solver="normal", regParam=1e-6).fit(features)
    features.unpersist()
    return with_preprocessing(prep, model)


def kmeans_costs(train, ks, budget):
    from pyspark.ml.clustering import KMeans

    _, features = featurize(train, None, build_pipeline(CATEGORICAL, NUMERIC))
    costs = [float(KMeans(k=int(k), seed=budget.seed).fit(features).summary.trainingCost) for k in ks]
    features.unpersist()
    return costs
