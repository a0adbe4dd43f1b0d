# Follows the fastai v1 (fastai 1.x) vision quick start: `from fastai.vision import *`,
# ImageDataBunch.from_folder, cnn_learner(data, models.resnet18, metrics=accuracy), then a plain
# learn.fit(epochs, lr). Static-only in the corpus (fastai is not installable here).
from fastai.vision import *

path = untar_data(URLs.MNIST_SAMPLE)
data = ImageDataBunch.from_folder(path)
learn = cnn_learner(data, models.resnet18, metrics=accuracy)
learn.fit(4, 1e-2)
learn.save('stage-1')
