"""Checks one Python block of a skill against the installed autoplay-sdk.

Usage: python check_python.py BLOCK_FILE

Compiles the block, imports every `autoplay_sdk` module it imports, resolves every name and
attribute it takes from them (`from autoplay_sdk.x import y`, `autoplay_sdk.x.y`, `Y.attr` and
`obj.attr` where `obj = Y(...)`), and binds the arguments of every call to such an object with
`inspect.signature`, so an unknown keyword or too many positional arguments fail.
Prints one line per problem and exits 1, or exits 0.
"""

import ast
import importlib
import inspect
import sys

problems = []


def resolve_module(name):
    try:
        return importlib.import_module(name)
    except Exception as e:  # noqa: BLE001 - any import failure is a problem of the block
        problems.append(f"import {name}: {type(e).__name__}: {e}")
        return None


def main(path):
    source = open(path).read()
    try:
        tree = ast.parse(source, path)
        compile(source, path, "exec")
    except SyntaxError as e:
        print(f"{path}:{e.lineno}: syntax error: {e.msg}")
        sys.exit(1)
    bound = {}  # local name -> SDK object
    instances = {}  # local name -> SDK class it was built from
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "autoplay_sdk":
                    module = resolve_module(alias.name)
                    if module is not None:
                        top = alias.asname or alias.name.split(".")[0]
                        bound[top] = module if alias.asname else importlib.import_module("autoplay_sdk")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "autoplay_sdk":
            module = resolve_module(node.module)
            if module is None:
                continue
            for alias in node.names:
                if not hasattr(module, alias.name):
                    try:
                        importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        problems.append(f"line {node.lineno}: {node.module} has no {alias.name}")
                        continue
                bound[alias.asname or alias.name] = getattr(module, alias.name)

    def value_of(expr):
        """The SDK object an expression names, or None when it is not one."""
        if isinstance(expr, ast.Name):
            if expr.id in bound:
                return bound[expr.id]
            if expr.id in instances:
                return instances[expr.id]
            return None
        if isinstance(expr, ast.Attribute):
            base = value_of(expr.value)
            if base is None:
                return None
            if not hasattr(base, expr.attr):
                if inspect.ismodule(base):
                    try:
                        return importlib.import_module(f"{base.__name__}.{expr.attr}")
                    except ImportError:
                        pass
                problems.append(f"line {expr.lineno}: {getattr(base, '__name__', base)!s} has no attribute {expr.attr}")
                return None
            return getattr(base, expr.attr)
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            target = value_of(node.value.func)
            if inspect.isclass(target):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        instances[t.id] = target
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            value_of(node)
        if isinstance(node, ast.Call):
            target = value_of(node.func)
            if target is None or not callable(target):
                continue
            if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
                continue
            try:
                signature = inspect.signature(target)
            except (TypeError, ValueError):
                continue
            args = [None] * len(node.args)
            if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                    and node.func.value.id in instances and inspect.isfunction(target):
                args = [None] + args  # a method called on an instance: `self`
            try:
                signature.bind_partial(*args, **{k.arg: None for k in node.keywords})
            except TypeError as e:
                problems.append(f"line {node.lineno}: {ast.unparse(node.func)}(…): {e}")
    for p in problems:
        print(f"{path}: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main(sys.argv[1])
