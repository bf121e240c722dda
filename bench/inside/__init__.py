"""The harness code that runs inside a worker, next to the student's module.

This package is all of the harness a worker can see: it is copied, with the
public `reference.spec` vocabulary (`Budget`), into a folder the worker
imports as `labmark_worker`, and nothing else of the harness comes along — no
reference solution, no data generator, no record. So it may import only the
standard library, numpy, the course's frameworks and `reference.spec`, and
relative imports of its own modules.

- `loop`: reads requests, calls the student's functions, writes answers.
- `network`: an early, friendly refusal of connections (the sandbox is the real barrier).
- `gpu`: caps a worker's GPU memory to its experiment's budget.
- `helpers`, `rl`, `spark`: harness code the parent asks the worker to run
  next to the student's functions; checks name them by import (`Make(inside.rl.make_env, seed)`,
  `run.harness(inside.spark.start, ...)`), and the worker calls only these modules' functions.
"""
