"""LazyFigureVisualizer: no figure until it draws, then mmengine's drawing."""
import numpy as np
from mmengine.visualization import Visualizer

from stgcn_reg.engine.lazy_figure_visualizer import LazyFigureVisualizer


def test_scalars_only_make_no_figure(tmp_path):
    visualizer = LazyFigureVisualizer(
        name='lazy_scalars', save_dir=str(tmp_path),
        vis_backends=[dict(type='LocalVisBackend')])
    visualizer.add_scalars(dict(loss=0.5), step=1)
    assert '_lazy_fig_save' in visualizer.__dict__
    assert visualizer.__dict__['_lazy_fig_save'] is not None
    assert not hasattr(visualizer.__dict__['_lazy_fig_save'], 'savefig')
    assert (tmp_path / 'vis_data' / 'scalars.json').read_text().count(
        '"loss": 0.5') == 1


def test_draws_as_mmengines_visualizer():
    image = np.full((40, 60, 3), 200, np.uint8)
    images = []
    for cls, name in ((Visualizer, 'plain_draw'),
                      (LazyFigureVisualizer, 'lazy_draw')):
        visualizer = cls(name=name)
        visualizer.set_image(image)
        visualizer.draw_points(np.array([[10, 10], [30, 20]]), colors='r',
                               sizes=np.array([20, 20]))
        visualizer.draw_texts('run', np.array([5, 30]))
        images.append(visualizer.get_image())
        assert visualizer.dpi == visualizer.fig_save.get_dpi() > 0
    assert images[0].shape == (40, 60, 3)
    assert (images[0] != 200).any()  # something was drawn
    np.testing.assert_array_equal(images[0], images[1])
    # an image given to the constructor is set as mmengine sets it
    given = LazyFigureVisualizer(name='lazy_given', image=image)
    np.testing.assert_array_equal(given.get_image(), image)
