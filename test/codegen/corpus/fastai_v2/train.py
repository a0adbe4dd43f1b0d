# Follows the fastai v2 quick start as it was published under the `fastai2` package name
# (`from fastai2.vision.all import *`): ImageDataLoaders.from_name_func over the pets images,
# cnn_learner(dls, resnet34, metrics=error_rate), learn.fit_one_cycle(4, 3e-3). Nothing here
# imports torch directly: the file trains with fastai. Static-only in the corpus.
from fastai2.vision.all import *

path = untar_data(URLs.PETS)/'images'


def is_cat(x): return x[0].isupper()


dls = ImageDataLoaders.from_name_func(
    path, get_image_files(path), valid_pct=0.2, seed=42,
    label_func=is_cat, item_tfms=Resize(224))

learn = cnn_learner(dls, resnet34, metrics=error_rate)
learn.fit_one_cycle(4, 3e-3)
