# Joint stream of multi-stream ST-GCN on NTU RGB+D 60 cross-subject: the
# raw joint coordinates, i.e. exactly configs/stgcn_ntu_xsub.py. Kept as
# its own file so the four streams (joint, bone, joint_motion,
# bone_motion) are named alike for training and score fusion.
_base_ = ['stgcn_ntu_xsub.py']
