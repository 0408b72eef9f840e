// LoadTreeEngine: VUs, executors at run time and the flow interpreter.
