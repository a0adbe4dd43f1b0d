"""Stand-in for Hugging Face `datasets`: load_dataset("glue"/"nyu-mll/glue", "mrpc") gives a small
seeded synthetic set with MRPC's columns (sentence1, sentence2, label, idx); map/rename_column work
as the scripts use them."""
import random


class Dataset:
    def __init__(self, columns):
        self._columns = columns

    @property
    def column_names(self):
        return list(self._columns)

    def __len__(self):
        return len(next(iter(self._columns.values())))

    def __getitem__(self, i):
        if isinstance(i, str):
            return self._columns[i]
        return {k: v[i] for k, v in self._columns.items()}

    def map(self, function, batched=False, remove_columns=None):
        if batched:
            new = function(dict(self._columns))
        else:
            rows = [function(self[i]) for i in range(len(self))]
            new = {k: [r[k] for r in rows] for k in rows[0]}
        columns = {k: v for k, v in self._columns.items() if k not in (remove_columns or [])}
        columns.update(new)
        return Dataset(columns)

    def rename_column(self, old, new):
        return Dataset({(new if k == old else k): v for k, v in self._columns.items()})


class DatasetDict(dict):
    def map(self, function, batched=False, remove_columns=None):
        return DatasetDict({k: v.map(function, batched, remove_columns) for k, v in self.items()})

    def rename_column(self, old, new):
        return DatasetDict({k: v.rename_column(old, new) for k, v in self.items()})


_WORDS = 'the a stock market rose fell sharply on news of profit loss company shares said today'.split()


def _split(n, seed):
    rng = random.Random(seed)
    s1 = [' '.join(rng.choice(_WORDS) for _ in range(rng.randint(4, 12))) for _ in range(n)]
    s2 = [' '.join(rng.choice(_WORDS) for _ in range(rng.randint(4, 12))) for _ in range(n)]
    return Dataset({'sentence1': s1, 'sentence2': s2, 'label': [rng.randint(0, 1) for _ in range(n)],
                    'idx': list(range(n))})


def load_dataset(path, name=None, **kwargs):
    if path.split('/')[-1] != 'glue' or name != 'mrpc':
        raise ValueError(f'stand-in datasets.load_dataset: only glue/mrpc is in the stand-in, got {path!r}, {name!r}')
    return DatasetDict({'train': _split(96, 0), 'validation': _split(32, 1), 'test': _split(32, 2)})
