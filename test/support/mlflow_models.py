"""Registers the tests' models in a running MLflow tracking server, with MLflow itself.

Run with the MLflow tool's Python: `python mlflow_models.py PLAN_JSON`. The plan
names experiments (and their artifact locations); for each it logs scikit-learn
models with signatures, so every MLmodel file is the one MLflow writes.
Prints one JSON line with the ids the tests need.
"""

import json
import sqlite3
import sys

import mlflow
import numpy as np
from mlflow.models import infer_signature
from mlflow.tracking import MlflowClient
from sklearn.linear_model import LogisticRegression


def train(seed):
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(60, 4))
    labels = (features[:, 0] + features[:, 1] > 0).astype(int)
    model = LogisticRegression(max_iter=200).fit(features, labels)
    return model, features, model.predict(features)


def log_sklearn(name, seed, registered=None, tensor_names=None):
    model, features, predictions = train(seed)
    if tensor_names:
        # Named tensors, as a model logged with {name: array} examples has them.
        signature = infer_signature(
            {tensor_names["input"]: features}, {tensor_names["output"]: predictions}
        )
    else:
        signature = infer_signature(features, predictions)
    with mlflow.start_run() as run:
        mlflow.log_param("seed", seed)
        info = mlflow.sklearn.log_model(
            model,
            name=name,
            signature=signature,
            # Given, so MLflow does not load the model in a subprocess to infer them.
            pip_requirements=["scikit-learn"],
            registered_model_name=registered,
        )
    return run.info.run_id, info


def main():
    plan = json.loads(sys.argv[1])
    mlflow.set_tracking_uri(plan["tracking_uri"])
    client = MlflowClient()
    out = {}
    for experiment in plan["experiments"]:
        label = experiment["label"]
        kwargs = {}
        if experiment.get("artifact_location"):
            kwargs["artifact_location"] = experiment["artifact_location"]
        experiment_id = client.create_experiment(f"md-{label}", **kwargs)
        mlflow.set_experiment(experiment_id=experiment_id)
        model_name = experiment["model"]
        ids = {"experiment_id": experiment_id, "versions": {}}
        # Versions 1..3 of the model, each from its own run; the alias names version 2.
        for seed in (1, 2, 3):
            run_id, info = log_sklearn(
                "model", seed, registered=model_name, tensor_names=experiment.get("tensor_names")
            )
            ids["versions"][str(info.registered_model_version)] = {
                "run_id": run_id,
                "model_id": info.model_id,
                "artifact_location": client.get_logged_model(info.model_id).artifact_location,
            }
        client.set_registered_model_alias(model_name, "champion", "2")
        if experiment.get("everything"):
            # A version that is deleted after registration.
            _, deleted = log_sklearn("model", 4, registered=model_name)
            client.delete_model_version(model_name, str(deleted.registered_model_version))
            ids["deleted_version"] = str(deleted.registered_model_version)
            # A version left PENDING_REGISTRATION: open-source MLflow registers
            # synchronously, so the test sets the state in the server's own database.
            _, pending = log_sklearn("model", 5, registered=model_name)
            ids["pending_version"] = str(pending.registered_model_version)
            with sqlite3.connect(plan["database"]) as db:
                changed = db.execute(
                    "UPDATE model_versions SET status = 'PENDING_REGISTRATION' WHERE name = ? AND version = ?",
                    (model_name, int(pending.registered_model_version)),
                ).rowcount
                if changed != 1:
                    raise SystemExit(f"could not mark version {pending.registered_model_version} pending")
            # A model logged in a run but never registered (runs:/ and models:/m-…).
            run_id, logged = log_sklearn("classifier", 6)
            ids["run_only"] = {"run_id": run_id, "model_id": logged.model_id, "name": "classifier"}
            # A run whose artifacts hold a file but no model.
            with mlflow.start_run() as run:
                mlflow.log_text("no model here\n", "notes/readme.txt")
            ids["run_without_model"] = run.info.run_id
        out[label] = ids
    print(json.dumps(out))


if __name__ == "__main__":
    main()
