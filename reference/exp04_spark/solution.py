"""The reference solution of Experiment 4, graded as `--submission=reference`.

The experiment's public part (aim, interface, targets, budgets) is `__init__.py`
beside this file; a student kit ships that part without this one.
"""

from __future__ import annotations

from reference.exp04_spark import CATEGORICAL, NUMERIC
from reference.spec import Budget

# ---------------------------------------------------------------------------
# Reference solution (pyspark.ml). The harness has started the Spark session already.
#
# Where the time goes on 50,000 rows: Spark runs each pass over the data as a
# job (a fixed cost of tens of milliseconds at best), and an uncached DataFrame
# is recomputed from its source, preprocessing included, on every pass. The
# estimators here make many passes (L-BFGS: one per iteration; K-means: one per
# iteration, for five k), so the one thing that matters is to compute the
# features once and cache them.

LOGISTIC_ITERATIONS = 100
KMEANS_ITERATIONS = 20


def build_pipeline(categorical, numeric):
    """Index and one-hot encode the categorical columns, standardize the numeric ones, assemble 'features'.

    The numeric columns are assembled into one vector first because
    StandardScaler works on a vector column; the one-hot columns need no
    scaling (they are 0 or 1 already).
    """
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import OneHotEncoder, StandardScaler, StringIndexer, VectorAssembler

    categorical, numeric = list(categorical), list(numeric)
    indexed = [f"{c}_index" for c in categorical]
    encoded = [f"{c}_onehot" for c in categorical]
    return Pipeline(stages=[
        # "keep": a category unseen in training gets an index of its own (an all-zero one-hot row)
        # instead of failing the whole transform
        StringIndexer(inputCols=categorical, outputCols=indexed, handleInvalid="keep"),
        OneHotEncoder(inputCols=indexed, outputCols=encoded, handleInvalid="keep"),
        VectorAssembler(inputCols=numeric, outputCol="numeric_raw"),
        StandardScaler(inputCol="numeric_raw", outputCol="numeric_scaled", withMean=True, withStd=True),
        VectorAssembler(inputCols=encoded + ["numeric_scaled"], outputCol="features"),
    ])


def featurize(train, label: str | None, pipeline=None):
    """(fitted preprocessing, cached DataFrame of 'features' and the label). Unpersist it when done.

    `pipeline`: the unfitted preprocessing, build_pipeline()'s unless given.
    """
    columns = list(CATEGORICAL + NUMERIC) + ([label] if label else [])
    data = train.select(*columns).cache()  # the preprocessing fit reads it twice (indexer, scaler) and transform once
    prep = (pipeline or build_pipeline(CATEGORICAL, NUMERIC)).fit(data)
    features = prep.transform(data).select("features", *([label] if label else [])).cache()
    features.count()  # materialize now, so that `data` can go
    data.unpersist()
    return prep, features


def with_preprocessing(prep, model):
    """One PipelineModel: transform() on raw rows runs the preprocessing, then the model."""
    from pyspark.ml import PipelineModel

    return PipelineModel(stages=[*prep.stages, model])


def train_classifier(train, budget: Budget):
    """Logistic regression for churn.

    A gradient-boosted tree model scored no better here (scikit-learn: AUC
    0.777 against 0.780; the churn signal is close to linear in these
    features) and costs many more passes.
    """
    from pyspark.ml.classification import LogisticRegression

    prep, features = featurize(train, "churn")
    model = LogisticRegression(featuresCol="features", labelCol="churn", maxIter=LOGISTIC_ITERATIONS,
                               regParam=0.0).fit(features)
    features.unpersist()
    return with_preprocessing(prep, model)


def train_regressor(train, budget: Budget):
    """Least squares for spend, solved exactly in one pass (normal equations).

    A tiny ridge penalty keeps the normal equations solvable: with
    handleInvalid="keep" the one-hot columns of each categorical column sum
    to 1, the same as the intercept.
    """
    from pyspark.ml.regression import LinearRegression

    prep, features = featurize(train, "spend")
    model = LinearRegression(featuresCol="features", labelCol="spend", solver="normal", regParam=1e-6).fit(features)
    features.unpersist()
    return with_preprocessing(prep, model)


def kmeans_costs(train, ks, budget: Budget):
    """K-means training cost (within-cluster sum of squared distances) on the scaled features, for each k."""
    from pyspark.ml.clustering import KMeans

    _, features = featurize(train, None)
    costs = []
    for k in ks:
        model = KMeans(featuresCol="features", k=int(k), maxIter=KMEANS_ITERATIONS, seed=budget.seed).fit(features)
        costs.append(float(model.summary.trainingCost))
    features.unpersist()
    return costs
