"""Static checks of a transformed training script, for the corpus entries that cannot run here.

    python3 static_check.py ORIGINAL TRANSFORMED CHECK [CHECK ...]

Prints a JSON list: [{"check": CHECK, "ok": bool, "detail": str}]. Checks:
  parses                 the transformed file is valid Python (ast.parse)
  changed                the transformed file differs from the original
  no-added:WORD          no line added by the transformation contains WORD (a framework the
                         file does not train with, the spec's placeholder length, ...)
  keras-optimizer-object every `.compile(...)` call passes `optimizer=` an optimizer object (a
                         call, or a name bound to one) instead of a string, built with a
                         `learning_rate` that is not a number
  optax-schedule         every `optax.<opt>(lr, ...)` optimizer of the original gets a learning
                         rate other than the original expression (a schedule), not a number
  fastai-fit-one-cycle   the learner is trained with `.fit_one_cycle(...)` and no `.fit(...)` remains
"""
import ast
import re
import difflib
import json
import sys

OPTAX_OPTIMIZERS = {'sgd', 'adam', 'adamw', 'rmsprop', 'lamb', 'lars', 'adagrad', 'adabelief', 'lion'}


def added_lines(original, transformed):
    diff = difflib.ndiff(original.splitlines(), transformed.splitlines())
    return [line[2:] for line in diff if line.startswith('+ ')]


def calls(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def attr_name(func):
    return func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else None)


def is_number(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float))


def assigned_values(tree):
    values = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = node.value
    return values


def lr_argument(call):
    for kw in call.keywords:
        if kw.arg in ('learning_rate', 'lr'):
            return kw.value
    return call.args[0] if call.args else None


def check_keras(tree):
    compiles = [c for c in calls(tree) if attr_name(c.func) == 'compile']
    if not compiles:
        return False, 'no .compile(...) call'
    values = assigned_values(tree)
    for call in compiles:
        opt = next((kw.value for kw in call.keywords if kw.arg == 'optimizer'), None)
        if opt is None:
            return False, f'line {call.lineno}: compile() without optimizer='
        if isinstance(opt, ast.Name) and opt.id in values:
            opt = values[opt.id]
        if isinstance(opt, ast.Constant):
            return False, f'line {call.lineno}: optimizer is still the string {opt.value!r}'
        if not isinstance(opt, ast.Call):
            return False, f'line {call.lineno}: optimizer is {ast.unparse(opt)}, not an optimizer object'
        lr = lr_argument(opt)
        if lr is None or is_number(lr):
            return False, f'line {call.lineno}: optimizer {ast.unparse(opt)} has no schedule as learning_rate'
    return True, 'compile(optimizer=<optimizer object with a schedule>)'


def optax_calls(tree):
    return [c for c in calls(tree) if isinstance(c.func, ast.Attribute) and isinstance(c.func.value, ast.Name)
            and c.func.value.id == 'optax' and c.func.attr in OPTAX_OPTIMIZERS]


def check_optax(original_tree, tree):
    before = optax_calls(original_tree)
    after = optax_calls(tree)
    if not before:
        return False, 'the original has no optax optimizer call'
    if len(after) != len(before):
        return False, f'{len(before)} optax optimizer call(s) in the original, {len(after)} after'
    for old, new in zip(before, after):
        old_lr, new_lr = lr_argument(old), lr_argument(new)
        if new_lr is None or is_number(new_lr):
            return False, f'line {new.lineno}: optax.{new.func.attr} learning rate is not a schedule'
        if old_lr is not None and ast.dump(old_lr) == ast.dump(new_lr):
            return False, f'line {new.lineno}: optax.{new.func.attr} still uses {ast.unparse(old_lr)}'
    return True, 'optax optimizer(s) take a schedule'


def check_fastai(tree):
    names = [attr_name(c.func) for c in calls(tree)]
    if 'fit_one_cycle' not in names:
        return False, 'no .fit_one_cycle(...) call'
    if 'fit' in names:
        return False, 'a .fit(...) call remains'
    return True, 'trained with fit_one_cycle'


def main():
    original_path, transformed_path, *checks = sys.argv[1:]
    with open(original_path, encoding='utf8') as f:
        original = f.read()
    with open(transformed_path, encoding='utf8') as f:
        transformed = f.read()
    results = []
    try:
        tree = ast.parse(transformed)
        parse_error = None
    except SyntaxError as exc:
        tree, parse_error = None, f'line {exc.lineno}: {exc.msg}'
    original_tree = ast.parse(original)
    added = added_lines(original, transformed)
    for check in checks:
        if check == 'parses':
            ok, detail = parse_error is None, parse_error or 'valid Python'
        elif tree is None:
            ok, detail = False, f'does not parse ({parse_error})'
        elif check == 'changed':
            ok, detail = original != transformed, f'{len(added)} line(s) added' if added else 'file unchanged'
        elif check.startswith('no-added:'):
            word = check.split(':', 1)[1]
            # a whole word or number: 1000 is not found in 10000
            pattern = re.compile(r'(?<![\w.])' + re.escape(word) + r'(?![\w.])')
            hits = [line.strip() for line in added if pattern.search(line)]
            ok, detail = not hits, f'added: {hits[0]}' if hits else f'no added line has {word!r}'
        elif check == 'keras-optimizer-object':
            ok, detail = check_keras(tree)
        elif check == 'optax-schedule':
            ok, detail = check_optax(original_tree, tree)
        elif check == 'fastai-fit-one-cycle':
            ok, detail = check_fastai(tree)
        else:
            raise SystemExit(f'static_check.py: unknown check {check!r}')
        results.append({'check': check, 'ok': ok, 'detail': detail})
    print(json.dumps(results))


if __name__ == '__main__':
    main()
