"""How updates reach the Dispatcher: recorded in the inbox first, one person at a time.

``pipeline.UpdatePipeline`` records, orders and hands updates to the Dispatcher;
``polling.poll`` is the getUpdates loop that confirms an offset only once its batch is recorded.
"""
