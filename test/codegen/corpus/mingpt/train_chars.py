# The minGPT usage from karpathy/minGPT's README (and projects/chargpt): build a dataset and a
# GPT, take Trainer.get_default_config(), set max_iters, and call trainer.run(). The dataset is a
# seeded synthetic character sequence instead of input.txt.
import torch
from torch.utils.data import Dataset

from mingpt.model import GPT
from mingpt.trainer import Trainer
from mingpt.utils import set_seed


class CharDataset(Dataset):
    def __init__(self, block_size, length=2000, vocab_size=12):
        gen = torch.Generator().manual_seed(0)
        self.data = torch.randint(0, vocab_size, (length,), generator=gen)
        self.block_size = block_size
        self.vocab_size = vocab_size

    def __len__(self):
        return len(self.data) - self.block_size

    def __getitem__(self, idx):
        chunk = self.data[idx:idx + self.block_size + 1]
        return chunk[:-1], chunk[1:]


set_seed(3407)
train_dataset = CharDataset(block_size=16)

model_config = GPT.get_default_config()
model_config.model_type = 'gpt-nano'
model_config.n_layer = 2
model_config.n_head = 2
model_config.n_embd = 32
model_config.vocab_size = train_dataset.vocab_size
model_config.block_size = train_dataset.block_size
model = GPT(model_config)

train_config = Trainer.get_default_config()
train_config.learning_rate = 5e-4  # the model we're using is so small that we can go a bit faster
train_config.max_iters = 20
train_config.batch_size = 8
train_config.num_workers = 0
trainer = Trainer(train_config, model, train_dataset)


def batch_end_callback(trainer):
    if trainer.iter_num % 5 == 0:
        print(f"iter_dt {trainer.iter_dt * 1000:.2f}ms; iter {trainer.iter_num}: train loss {trainer.loss.item():.5f}")


trainer.set_callback('on_batch_end', batch_end_callback)
trainer.run()
