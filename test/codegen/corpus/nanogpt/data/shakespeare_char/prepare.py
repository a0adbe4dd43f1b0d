# Stands in for karpathy/nanoGPT data/shakespeare_char/prepare.py: the original downloads
# tinyshakespeare; this writes the same three files (train.bin, val.bin as uint16 token ids,
# meta.pkl with vocab_size/itos/stoi) from a seeded synthetic text.
import os
import pickle
import random

import numpy as np

here = os.path.dirname(__file__)
rng = random.Random(0)
words = ['thou', 'art', 'king', 'lord', 'speak', 'night', 'sweet', 'love', 'death', 'fair']
data = '\n'.join(' '.join(rng.choice(words) for _ in range(8)) for _ in range(400))
chars = sorted(set(data))
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for i, ch in enumerate(chars)}
n = len(data)
train_ids = np.array([stoi[c] for c in data[:int(n * 0.9)]], dtype=np.uint16)
val_ids = np.array([stoi[c] for c in data[int(n * 0.9):]], dtype=np.uint16)
train_ids.tofile(os.path.join(here, 'train.bin'))
val_ids.tofile(os.path.join(here, 'val.bin'))
with open(os.path.join(here, 'meta.pkl'), 'wb') as f:
    pickle.dump({'vocab_size': len(chars), 'itos': itos, 'stoi': stoi}, f)
print(f"vocab size {len(chars)}, train {len(train_ids):,} tokens, val {len(val_ids):,} tokens")
