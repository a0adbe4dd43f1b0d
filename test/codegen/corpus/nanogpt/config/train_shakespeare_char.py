# Follows karpathy/nanoGPT config/train_shakespeare_char.py, scaled down to run in seconds on CPU.
out_dir = 'out-shakespeare-char'
eval_interval = 10
eval_iters = 2
log_interval = 5
always_save_checkpoint = False

dataset = 'shakespeare_char'
gradient_accumulation_steps = 2
batch_size = 4
block_size = 16

n_layer = 2
n_head = 2
n_embd = 32
dropout = 0.0

learning_rate = 1e-3
max_iters = 24
lr_decay_iters = 24
min_lr = 1e-4
beta2 = 0.99

warmup_iters = 4
