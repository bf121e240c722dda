"""Experiment 4: a machine-learning pipeline at scale with Spark MLlib.

Aim: build an MLlib preprocessing pipeline (index and one-hot encode the
categorical columns, scale the numeric ones, assemble one feature vector),
train a classifier and a regressor on it, cluster with K-means for several k,
and see how the cost grows with the data.

Data: a generated customer table (50,000 rows: 3 categorical and 5 numeric
columns on very different scales; a churn label and a spend target with real
signal, unlike the lab's pure-noise table; `bench/data/churn.py`). The
harness gives the submission Spark DataFrames in a local session it starts
(its start time is reported apart); the test targets stay in the grading
process.

Claim: the reference reaches churn AUC 0.773 and spend R^2 0.908 on hidden
rows (mean of 5 seeds). Its whole pipeline (classifier, regressor, K-means for
five k) takes 30 s on 50,000 rows on 2 cores, session start (5-18 s) apart,
where the lab's took 94.7 s; twice the rows take about 2x the time once the JVM
is warm. scikit-learn fits the same logistic regression on the same rows in
0.2 s: Spark pays for a distribution this table does not need.
"""

from __future__ import annotations

from reference.spec import Budget, BudgetSpec, Experiment, Function, Target

CATEGORICAL = ("region", "plan", "device")
NUMERIC = ("age", "income", "tenure_months", "usage_hours", "support_calls")
KS = (2, 3, 4, 5, 6)

INTERFACE = (
    Function("build_pipeline", ("categorical", "numeric"), "pyspark.ml.Pipeline",
             "Unfitted preprocessing: StringIndexer, OneHotEncoder, a scaler, VectorAssembler -> 'features'."),
    Function("train_classifier", ("train", "budget"), "fitted model (PipelineModel)",
             "Fit on a DataFrame with the feature columns and 'churn'; transform() must add 'probability'."),
    Function("train_regressor", ("train", "budget"), "fitted model (PipelineModel)",
             "Fit on a DataFrame with the feature columns and 'spend'; transform() must add 'prediction'."),
    Function("kmeans_costs", ("train", "ks", "budget"), "list of floats, one per k",
             "K-means training cost (sum of squared distances) on the pipeline's features, for each k."),
)

# Measured, not chosen: see bench/calibrate.py for the rule.
TARGETS: tuple[Target, ...] = (
    Target('auc', floor=0.5, target=0.75, variant='embedded',
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.7732, min 0.7644, sd 0.0071; `python -m bench.calibrate exp04`; floor 0.5 = a constant or random score has AUC 0.5'),
    Target('r2', floor=0.45, target=0.9, variant='embedded',
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 0.9076, min 0.9047, sd 0.0021; `python -m bench.calibrate exp04`'),
)

SPEC = Experiment(
    id="exp04",
    module="exp04_spark",
    title="Machine learning at scale with Spark MLlib",
    aim=__doc__.split("\n\n")[1].replace("\n", " "),
    interface=INTERFACE,
    targets=TARGETS,
    graded_metrics=("auc", "r2"),
    libraries=("pyspark.ml", "pyspark.ml.classification", "pyspark.ml.clustering", "pyspark.ml.feature", "pyspark.ml.regression"),
    budget=BudgetSpec(train_seconds=180, quick_train_seconds=180, call_seconds=180, import_seconds=90,
                      memory_mb=6144),
)


# ---------------------------------------------------------------------------
# Reference solution (pyspark.ml). pyspark is imported inside the functions so
# that reading SPEC stays cheap; the harness has started the session already.
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
